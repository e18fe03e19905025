import { createHash } from 'node:crypto'
import { SignJWT, jwtVerify } from 'jose'

/*
 * A villager's sign-in is its own kind of token, never a staff login: `kind: 'villager'`, the card as its
 * subject, the session it opened (so signing out ends it) and a fingerprint of the household's PIN hash (so a
 * changed or removed PIN ends it). Staff tokens carry `tv` and no `kind`; each reader refuses the other's.
 */

/** A phone stays signed in until its household signs out, the card is reissued or the PIN changes. */
const VILLAGER_TOKEN_DAYS = 365

export interface VillagerClaims {
  kind: 'villager'
  /** The card the household signed in with. */
  sub: string
  /** villager_sessions.id */
  sid: string
  /** pinFingerprint() of the household's PIN hash when it signed in. */
  pf: string
}

/** A short fingerprint of the PIN hash (salted: setting the same PIN again changes it too). */
export function pinFingerprint(pinHash: string | null): string {
  return createHash('sha256')
    .update(pinHash ?? 'no-pin')
    .digest('base64url')
    .slice(0, 16)
}

export function signVillagerToken(key: Uint8Array, claims: Omit<VillagerClaims, 'kind'>): Promise<string> {
  return new SignJWT({ kind: 'villager', sid: claims.sid, pf: claims.pf })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(`${VILLAGER_TOKEN_DAYS}d`)
    .sign(key)
}

export async function readVillagerToken(key: Uint8Array, token: string): Promise<VillagerClaims | null> {
  try {
    const { payload: p } = await jwtVerify(token, key, { algorithms: ['HS256'] })
    if (p.kind !== 'villager' || typeof p.sub !== 'string' || typeof p.sid !== 'string' || typeof p.pf !== 'string')
      return null
    return { kind: 'villager', sub: p.sub, sid: p.sid, pf: p.pf }
  } catch {
    return null
  }
}
