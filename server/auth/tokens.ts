import { randomUUID } from 'node:crypto'
import { SignJWT, jwtVerify } from 'jose'

const TOKEN_HOURS = 12

export interface TokenClaims {
  sub: string
  tv: number // the user's token_version: bumping it (password change, disable) invalidates old tokens
  /** The session's id, so that one token can be logged out (revoked_tokens) without ending the others. */
  jti?: string
  /** Expiry, seconds since the epoch. */
  exp?: number
}

export async function signToken(key: Uint8Array, claims: TokenClaims): Promise<string> {
  return new SignJWT({ tv: claims.tv })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${TOKEN_HOURS}h`)
    .sign(key)
}

export async function readToken(key: Uint8Array, token: string): Promise<TokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] })
    // A villager's token (server/villager) is never a staff login, whatever else it carries.
    if (payload.kind !== undefined || typeof payload.sub !== 'string' || typeof payload.tv !== 'number') return null
    return {
      sub: payload.sub,
      tv: payload.tv,
      jti: typeof payload.jti === 'string' ? payload.jti : undefined,
      exp: payload.exp,
    }
  } catch {
    return null
  }
}
