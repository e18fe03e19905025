import type { DB } from '../../../db/database.js'
import { nowIso } from '../../../db/ids.js'
import { activeCardHashes, cardCodeHash } from '../../cards/cards.service.js'
import { actorIdOf, type ActingUser, assertVillage } from '../../core/actor.js'
import { notFound } from '../../core/errors.js'
import type { CounterSnapshot, CounterStatus } from '../../../shared/types/counter.js'

/*
 * What a counter needs to go on serving when the network drops (GET /api/villages/:vid/counter/snapshot):
 * the goods with their stock, each household's balance, and the village's active cards as SHA-256 hashes of
 * their codes. A hash lets the tablet recognise a card it is shown, and nothing more: it cannot make a code
 * from it (the code is signed with the server's key, which never leaves the server), and a revoked card is
 * simply absent, so it is refused offline too. No PIN or anything derived from one is sent (see README).
 */

export type { CounterSnapshot }

export const cardHash = cardCodeHash

export async function counterSnapshot(
  db: DB,
  actor: ActingUser,
  villageId: string,
  cardKey: Uint8Array,
): Promise<CounterSnapshot> {
  assertVillage(actor, villageId)
  const village = await db
    .selectFrom('villages')
    .select(['id', 'offline_allowance', 'timezone'])
    .where('id', '=', villageId)
    .executeTakeFirst()
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
    .select([
      'households.id',
      'households.household_no',
      'households.head_name',
      'households.pin_hash',
      'households.suspended_until',
      'accounts.balance',
    ])
    .where('households.village_id', '=', villageId)
    .orderBy('households.household_no')
    .execute()
  const allowance = village.offline_allowance
  return {
    villageId,
    at: nowIso(),
    offlineAllowance: allowance,
    timezone: village.timezone,
    products: products.map((p) => ({
      id: p.id,
      sku: p.sku,
      name: p.name,
      category: p.category,
      unit: p.unit,
      barcode: p.barcode,
      pointsPrice: p.points_price,
      stock: p.stock,
    })),
    households: households.map((h) => ({
      id: h.id,
      no: h.household_no,
      name: h.head_name,
      balance: Number(h.balance),
      hasPin: !!h.pin_hash,
      suspendedUntil: h.suspended_until,
      // Never more than the balance the tablet last saw.
      offlineAllowance: Math.max(0, Math.min(allowance, Number(h.balance))),
    })),
    cards: await activeCardHashes(db, actor, villageId, cardKey),
  }
}

/** What the tablet reports of its queue: kept per counter, shown to the committee. */
export async function reportCounter(
  db: DB,
  actor: ActingUser,
  villageId: string,
  report: { counterId?: string; pending?: number; oldestPendingAt?: string },
) {
  assertVillage(actor, villageId)
  if (!report.counterId) return
  const row = {
    village_id: villageId,
    counter_id: report.counterId,
    pending: report.pending ?? 0,
    oldest_pending_at: report.pending ? (report.oldestPendingAt ?? null) : null,
    last_seen_at: nowIso(),
    user_id: actorIdOf(actor),
  }
  await db
    .insertInto('counters')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['village_id', 'counter_id']).doUpdateSet({
        pending: row.pending,
        oldest_pending_at: row.oldest_pending_at,
        last_seen_at: row.last_seen_at,
        user_id: row.user_id,
      }),
    )
    .execute()
}

export type { CounterStatus }

export async function listCounters(db: DB, actor: ActingUser, villageId: string): Promise<CounterStatus[]> {
  assertVillage(actor, villageId)
  const rows = await db
    .selectFrom('counters')
    .leftJoin('users', 'users.id', 'counters.user_id')
    .select([
      'counters.counter_id',
      'counters.pending',
      'counters.oldest_pending_at',
      'counters.last_seen_at',
      'users.username',
    ])
    .where('counters.village_id', '=', villageId)
    .orderBy('counters.last_seen_at', 'desc')
    .execute()
  return rows.map((r) => ({
    counterId: r.counter_id,
    pending: r.pending,
    oldestPendingAt: r.oldest_pending_at,
    lastSeenAt: r.last_seen_at,
    username: r.username ?? null,
  }))
}
