import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context, MiddlewareHandler } from 'hono'
import type { DB } from '../../db/database.js'
import { withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import { readCardCode } from '../cards/card-code.js'
import type { VillagerPrincipal } from '../core/actor.js'
import { DomainError, forbidden } from '../core/errors.js'
import type { AppEnv } from '../http/types.js'
import { COUNTER_COLUMNS, checkPin, settlePin, wrongPin } from '../supermarket/supermarket.service.js'
import type { VillagerHousehold, VillagerLogin } from '../../shared/types/villager.js'
import { authenticate } from '../auth/auth.service.js'
import { pinFingerprint, readVillagerToken, signVillagerToken } from '../auth/villager-token.js'

/*
 * A villager signs in on their own phone with the household's card (its QR, scanned) and the household's PIN
 * when it has one. The PIN is checked exactly as at the counter (household-checks.ts): the same failure count
 * on the household row, so guesses on a phone and at the counter add up to one lockout.
 */

/** The household a villager's request acts for (core/actor.ts): one household of one village, nothing more. */
export type Villager = VillagerPrincipal

export type VillagerEnv = { Variables: AppEnv['Variables'] & { villager: Villager } }

export async function villagerLogin(
  db: DB,
  keys: { tokenKey: Uint8Array; cardKey: Uint8Array },
  cardCode: string,
  pin: string | undefined,
): Promise<VillagerLogin> {
  const cardId = await readCardCode(keys.cardKey, cardCode)
  const card = await db
    .selectFrom('cards')
    .select(['id', 'village_id', 'household_id', 'status'])
    .where('id', '=', cardId)
    .executeTakeFirst()
  if (!card) throw new DomainError('CARD_INVALID', '这张卡不在系统中 (no such card)')
  if (card.status !== 'active') throw new DomainError('CARD_REVOKED', '这张卡已作废，请用新卡 (the card was revoked)')
  const now = new Date()
  const before = await db
    .selectFrom('households')
    .select(COUNTER_COLUMNS)
    .where('id', '=', card.household_id)
    .executeTakeFirstOrThrow()
  // scrypt outside the transaction; settlePin re-reads, counts a failure or clears the count.
  const proof = await checkPin(before, pin, now)
  const outcome = await withTransaction(db, async (trx) => {
    const h = await trx
      .selectFrom('households')
      .select(COUNTER_COLUMNS)
      .where('id', '=', card.household_id)
      .executeTakeFirstOrThrow()
    const failure = await settlePin(trx, h, proof, now)
    if (failure) return { failure }
    const sessionId = newId()
    await trx
      .insertInto('villager_sessions')
      .values({
        id: sessionId,
        village_id: card.village_id,
        household_id: h.id,
        card_id: card.id,
        created_at: nowIso(),
        ended_at: null,
      })
      .execute()
    return {
      sessionId,
      pinHash: h.pin_hash,
      household: { id: h.id, householdNo: h.household_no, headName: h.head_name } as VillagerHousehold,
    }
  })
  if ('failure' in outcome) throw wrongPin(outcome.failure!)
  const token = await signVillagerToken(keys.tokenKey, {
    sub: card.id,
    sid: outcome.sessionId,
    pf: pinFingerprint(outcome.pinHash),
  })
  return { token, household: outcome.household }
}

/** Why a villager's token no longer opens the household: the phone goes back to its sign-in page. */
const refused = (reason: 'signed-out' | 'card-revoked' | 'pin-changed' | 'invalid') =>
  new DomainError('UNAUTHENTICATED', `sign in again with the card (${reason})`, { reason })

/** The household behind a villager's token, checked against the database on every request. */
export async function authenticateVillager(db: DB, tokenKey: Uint8Array, token: string): Promise<Villager> {
  const claims = await readVillagerToken(tokenKey, token)
  if (!claims) throw refused('invalid')
  const row = await db
    .selectFrom('villager_sessions as s')
    .innerJoin('cards as c', 'c.id', 's.card_id')
    .innerJoin('households as h', 'h.id', 's.household_id')
    .select([
      's.ended_at',
      's.village_id',
      's.household_id',
      'c.status',
      'c.household_id as card_household',
      'h.pin_hash',
    ])
    .where('s.id', '=', claims.sid)
    .where('s.card_id', '=', claims.sub)
    .executeTakeFirst()
  if (!row || row.card_household !== row.household_id) throw refused('invalid')
  if (row.ended_at !== null) throw refused('signed-out')
  if (row.status !== 'active') throw refused('card-revoked')
  if (pinFingerprint(row.pin_hash) !== claims.pf) throw refused('pin-changed')
  return { householdId: row.household_id, villageId: row.village_id, cardId: claims.sub, sessionId: claims.sid }
}

/**
 * /api/me/*: a villager's token only. No token → 401; a staff login → 403 (a clerk reads households through the
 * staff endpoints, never as a villager); a token that was signed out, or whose card or PIN changed → 401.
 */
export const requireVillager: MiddlewareHandler<VillagerEnv> = async (c, next) => {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')
  if (!match) throw new DomainError('UNAUTHENTICATED', 'sign in with the card first')
  const { db, secrets } = c.var.deps
  if (!(await readVillagerToken(secrets.tokenKey, match[1]!))) {
    if (await authenticate(db, secrets.tokenKey, match[1]!))
      throw forbidden("staff logins do not open a villager's page")
    throw refused('invalid')
  }
  const villager = await authenticateVillager(db, secrets.tokenKey, match[1]!)
  c.set('villager', villager)
  c.set('villageId', villager.villageId) // for the audit log
  await next()
}

export async function villagerLogout(db: DB, villager: Villager) {
  await db
    .updateTable('villager_sessions')
    .set({ ended_at: nowIso() })
    .where('id', '=', villager.sessionId)
    .where('ended_at', 'is', null)
    .execute()
}

/** Sign-in attempts are counted per client address (there is no login yet to count them by). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
