import { createHash } from 'node:crypto'
import type { DB } from '../../db/database.js'
import { nowIso } from '../../db/ids.js'
import { signCardCode } from '../cards/card-code.js'
import { notFound } from '../http/errors.js'
import type { ActingUser } from '../http/types.js'

/*
 * What a counter needs to go on serving when the network drops (GET /api/villages/:vid/counter/snapshot):
 * the goods with their stock, each household's balance, and the village's active cards as SHA-256 hashes of
 * their codes. A hash lets the tablet recognise a card it is shown, and nothing more: it cannot make a code
 * from it (the code is signed with the server's key, which never leaves the server), and a revoked card is
 * simply absent, so it is refused offline too. No PIN or anything derived from one is sent (see README).
 */

export interface CounterSnapshot {
  villageId: string
  at: string
  offlineAllowance: number
  timezone: string
  products: { id: string; sku: string; name: string; category: string | null; unit: string | null; barcode: string | null; pointsPrice: number; stock: number }[]
  households: { id: string; no: string; name: string; balance: number; hasPin: boolean; suspendedUntil: string | null; offlineAllowance: number }[]
  cards: { hash: string; householdId: string }[]
}

export const cardHash = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex')

export async function counterSnapshot(db: DB, cardKey: Uint8Array, villageId: string): Promise<CounterSnapshot> {
  const village = await db.selectFrom('villages').select(['id', 'offline_allowance', 'timezone']).where('id', '=', villageId).executeTakeFirst()
  if (!village) throw notFound('village')
  const products = await db
    .selectFrom('products')
    .select(['id', 'sku', 'name', 'category', 'unit', 'barcode', 'points_price', 'stock'])
    .where('village_id', '=', villageId)
    .where('active', '=', 1)
    .orderBy('name')
    .execute()
  const households = await db
    .selectFrom('households')
    .innerJoin('accounts', 'accounts.id', 'households.id')
    .select(['households.id', 'households.household_no', 'households.head_name', 'households.pin_hash', 'households.suspended_until', 'accounts.balance'])
    .where('households.village_id', '=', villageId)
    .orderBy('households.household_no')
    .execute()
  const cards = await db.selectFrom('cards').select(['id', 'household_id']).where('village_id', '=', villageId).where('status', '=', 'active').execute()
  const allowance = village.offline_allowance
  return {
    villageId,
    at: nowIso(),
    offlineAllowance: allowance,
    timezone: village.timezone,
    products: products.map((p) => ({
      id: p.id, sku: p.sku, name: p.name, category: p.category, unit: p.unit, barcode: p.barcode, pointsPrice: p.points_price, stock: p.stock,
    })),
    households: households.map((h) => ({
      id: h.id, no: h.household_no, name: h.head_name, balance: Number(h.balance), hasPin: !!h.pin_hash, suspendedUntil: h.suspended_until,
      // Never more than the balance the tablet last saw.
      offlineAllowance: Math.max(0, Math.min(allowance, Number(h.balance))),
    })),
    cards: await Promise.all(cards.map(async (c) => ({ hash: cardHash(await signCardCode(cardKey, c.id)), householdId: c.household_id }))),
  }
}

/** What the tablet reports of its queue: kept per counter, shown to the committee. */
export async function reportCounter(
  db: DB,
  villageId: string,
  actor: ActingUser,
  report: { counterId?: string; pending?: number; oldestPendingAt?: string },
) {
  if (!report.counterId) return
  const row = {
    village_id: villageId, counter_id: report.counterId, pending: report.pending ?? 0,
    oldest_pending_at: report.pending ? (report.oldestPendingAt ?? null) : null, last_seen_at: nowIso(), user_id: actor.id,
  }
  await db
    .insertInto('counters')
    .values(row)
    .onConflict((oc) => oc.columns(['village_id', 'counter_id']).doUpdateSet({
      pending: row.pending, oldest_pending_at: row.oldest_pending_at, last_seen_at: row.last_seen_at, user_id: row.user_id,
    }))
    .execute()
}

export interface CounterStatus {
  counterId: string
  pending: number
  oldestPendingAt: string | null
  lastSeenAt: string
  username: string | null
}

export async function listCounters(db: DB, villageId: string): Promise<CounterStatus[]> {
  const rows = await db
    .selectFrom('counters')
    .leftJoin('users', 'users.id', 'counters.user_id')
    .select(['counters.counter_id', 'counters.pending', 'counters.oldest_pending_at', 'counters.last_seen_at', 'users.username'])
    .where('counters.village_id', '=', villageId)
    .orderBy('counters.last_seen_at', 'desc')
    .execute()
  return rows.map((r) => ({
    counterId: r.counter_id, pending: r.pending, oldestPendingAt: r.oldest_pending_at, lastSeenAt: r.last_seen_at, username: r.username ?? null,
  }))
}
