import type { DB } from '../../../db/database.js'
import { withTransaction } from '../../../db/database.js'
import { newId, nowIso } from '../../../db/ids.js'
import type { Row } from '../../../db/schema.js'
import type { RedemptionConflict, SyncResult, SyncStatus } from '../../../shared/types/counter.js'
import type { OfflineSale, SettleConflictInput, SyncInput } from '../../../shared/schemas/counter.js'
import { cardOfCode } from '../../cards/cards.service.js'
import { actorIdOf, type ActingUser, assertVillage } from '../../core/actor.js'
import { DomainError, invalidState, notFound } from '../../core/errors.js'
import { scopedVillage } from '../../core/scope.js'
import { appendEntries, householdBalances } from '../../ledger/ledger.service.js'
import { reportCounter } from '../counter/snapshot.service.js'
import { appendMoves } from '../stock/moves.js'
import { type RedeemContext, redeem } from './redeem.service.js'

/*
 * Offline sales coming home (POST /api/villages/:vid/redemptions/sync). Each goes, in the order the tablet made
 * them, through the very redemption service the online counter uses, with the key the tablet gave it:
 * - posted: points and stock moved now;
 * - duplicate: that key was already posted (the tablet sent it before and lost the answer): nothing more moves;
 * - conflict: the service refused it (points or stock no longer cover it, the card was revoked meanwhile, a
 *   wrong PIN): nothing moves, and the sale is kept in redemption_conflicts with its key until an approver
 *   settles it. Sending it again answers conflict again; it is never lost and never charged twice.
 */

export type { SyncResult, SyncStatus }

export async function syncOfflineSales(
  db: DB,
  actor: ActingUser,
  villageId: string,
  input: SyncInput,
  ctx: RedeemContext,
): Promise<SyncResult[]> {
  assertVillage(actor, villageId)
  const results: SyncResult[] = []
  for (const sale of input.sales) results.push(await syncOne(db, ctx, villageId, actor, input.counterId ?? null, sale))
  await reportCounter(db, actor, villageId, { counterId: input.counterId, pending: input.pending ?? 0 })
  return results
}

async function syncOne(
  db: DB,
  ctx: RedeemContext,
  villageId: string,
  actor: ActingUser,
  counterId: string | null,
  sale: OfflineSale,
): Promise<SyncResult> {
  const key = sale.idempotencyKey
  const kept = await db
    .selectFrom('redemption_conflicts')
    .select(['id', 'error_code', 'error_message'])
    .where('village_id', '=', villageId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst()
  if (kept)
    return {
      idempotencyKey: key,
      status: 'conflict',
      conflictId: kept.id,
      error: { code: kept.error_code, message: kept.error_message },
    }
  const input = { cardCode: sale.cardCode, householdId: sale.householdId, items: sale.items, pin: sale.pin }
  try {
    const outcome = await redeem(db, actor, villageId, key, input, ctx)
    return { idempotencyKey: key, status: outcome.replayed ? 'duplicate' : 'posted', redemptionId: outcome.body.id }
  } catch (err) {
    if (!(err instanceof DomainError)) throw err
    // Every refusal of a sale that was really made is kept, IDEMPOTENCY_KEY_REUSED included (a key posted for
    // another sale: the tablet's fault, but the goods still left the shop): an approver decides.
    const conflictId = await keepConflict(db, ctx, villageId, actor, counterId, sale, err)
    return { idempotencyKey: key, status: 'conflict', conflictId, error: { code: err.code, message: err.message } }
  }
}

async function keepConflict(
  db: DB,
  ctx: RedeemContext,
  villageId: string,
  actor: ActingUser,
  counterId: string | null,
  sale: OfflineSale,
  err: DomainError,
) {
  let householdId = sale.householdId ?? null
  let cardId: string | null = null
  if (sale.cardCode) {
    const card = await cardOfCode(db, actor, villageId, sale.cardCode, ctx.cardKey)
    if (card) ({ cardId, householdId } = card)
  }
  const id = newId()
  await db
    .insertInto('redemption_conflicts')
    .values({
      id,
      village_id: villageId,
      idempotency_key: sale.idempotencyKey,
      counter_id: counterId,
      sold_at: sale.soldAt,
      household_id: householdId,
      card_id: cardId,
      items: JSON.stringify(sale.items),
      points: sale.points ?? (await pointsOf(db, villageId, sale.items)),
      error_code: err.code,
      error_message: err.message.slice(0, 500),
      received_at: nowIso(),
      received_by: actor.id,
      status: 'open',
      settled_action: null,
      settled_reason: null,
      settled_by: null,
      settled_at: null,
      charged: null,
      written_off: null,
      ledger_entry_id: null,
    })
    .onConflict((oc) => oc.columns(['village_id', 'idempotency_key']).doNothing())
    .execute()
  const row = await db
    .selectFrom('redemption_conflicts')
    .select('id')
    .where('village_id', '=', villageId)
    .where('idempotency_key', '=', sale.idempotencyKey)
    .executeTakeFirstOrThrow()
  return row.id
}

async function pointsOf(db: DB, villageId: string, items: { productId: string; quantity: number }[]): Promise<number> {
  const ids = items.map((i) => i.productId)
  const prices = new Map(
    (
      await db
        .selectFrom('products')
        .select(['id', 'points_price'])
        .where('village_id', '=', villageId)
        .where('id', 'in', ids)
        .execute()
    ).map((p) => [p.id, p.points_price]),
  )
  return items.reduce((s, i) => s + (prices.get(i.productId) ?? 0) * i.quantity, 0)
}

// ---- conflicts ---------------------------------------------------------------------------------------------

export type { RedemptionConflict }

export async function listConflicts(
  db: DB,
  actor: ActingUser,
  villageId: string,
  q: { status?: 'open' | 'settled' | 'all'; householdId?: string },
) {
  assertVillage(actor, villageId)
  let query = db
    .selectFrom('redemption_conflicts as c')
    .leftJoin('households as h', 'h.id', 'c.household_id')
    .leftJoin('users as u', 'u.id', 'c.settled_by')
    .selectAll('c')
    .select(['h.household_no', 'h.head_name', 'u.username as settled_by_name'])
    .where('c.village_id', '=', villageId)
    .orderBy('c.received_at')
    .orderBy('c.id')
  const status = q.status ?? 'all'
  if (status !== 'all') query = query.where('c.status', '=', status)
  if (q.householdId) query = query.where('c.household_id', '=', q.householdId)
  const rows = await query.limit(500).execute()
  const productIds = [
    ...new Set(rows.flatMap((r) => (JSON.parse(r.items) as { productId: string }[]).map((i) => i.productId))),
  ]
  const names = new Map(
    productIds.length
      ? (await db.selectFrom('products').select(['id', 'name']).where('id', 'in', productIds).execute()).map((p) => [
          p.id,
          p.name,
        ])
      : [],
  )
  return {
    items: rows.map(
      (r): RedemptionConflict => ({
        id: r.id,
        idempotencyKey: r.idempotency_key,
        counterId: r.counter_id,
        soldAt: r.sold_at,
        householdId: r.household_id,
        householdNo: r.household_no ?? null,
        headName: r.head_name ?? null,
        items: (JSON.parse(r.items) as { productId: string; quantity: number }[]).map((i) => ({
          ...i,
          name: names.get(i.productId) ?? null,
        })),
        points: r.points,
        error: { code: r.error_code, message: r.error_message },
        receivedAt: r.received_at,
        status: r.status,
        settledAction: r.settled_action,
        settledReason: r.settled_reason,
        settledAt: r.settled_at,
        settledBy: r.settled_by_name ?? null,
        charged: r.charged,
        writtenOff: r.written_off,
      }),
    ),
    nextCursor: null,
  }
}

/**
 * An approver settles an offline sale that could not be posted:
 * - 'charge-available': the goods are gone; the household pays what it has, up to the sale's points (a ledger
 *   entry of kind redemption, never below zero), the rest is written off with the reason; the goods leave stock
 *   as far as the books still hold them (a stock adjustment naming the conflict; stock never below zero).
 * - 'returned': the goods came back to the shelf: nothing is charged, nothing moves.
 */
export async function settleConflict(db: DB, actor: ActingUser, id: string, input: SettleConflictInput) {
  const villageId = await scopedVillage(db, actor, 'redemption_conflicts', id)
  return withTransaction(db, async (trx) => {
    const c = await trx
      .selectFrom('redemption_conflicts')
      .selectAll()
      .where('id', '=', id)
      .where('village_id', '=', villageId)
      .executeTakeFirst()
    if (!c) throw notFound('redemption conflict')
    if (c.status !== 'open') throw invalidState('this conflict is already settled')
    const at = nowIso()
    const changes: Partial<Row<'redemption_conflicts'>> = {
      status: 'settled',
      settled_action: input.action,
      settled_reason: input.reason,
      settled_by: actor.id,
      settled_at: at,
      charged: 0,
      written_off: 0,
    }
    if (input.action === 'charge-available') {
      if (!c.household_id)
        throw invalidState('the sale names no household of this village: record the goods as returned')
      const balances = await householdBalances(trx, [c.household_id])
      const balance = balances.get(c.household_id) ?? 0
      const charged = Math.max(0, Math.min(balance, c.points))
      changes.charged = charged
      changes.written_off = c.points - charged
      if (charged > 0) {
        const [entry] = await appendEntries(
          trx,
          villageId,
          actorIdOf(actor),
          [
            {
              kind: 'redemption',
              householdId: c.household_id,
              amount: -charged,
              counter: 'supermarket',
              memo: `离线兑换冲突结算 ${c.idempotency_key.slice(0, 8)}: 扣 ${charged}${c.points > charged ? `，核销 ${c.points - charged}` : ''}（${input.reason}）`,
            },
          ],
          balances,
        )
        changes.ledger_entry_id = entry!.id
      }
      const items = JSON.parse(c.items) as { productId: string; quantity: number }[]
      const products = await trx
        .selectFrom('products')
        .select(['id', 'stock', 'points_price'])
        .where('village_id', '=', villageId)
        .where(
          'id',
          'in',
          items.map((i) => i.productId),
        )
        .execute()
      const moves = items.flatMap((i) => {
        const p = products.find((x) => x.id === i.productId)
        const out = Math.min(i.quantity, p?.stock ?? 0)
        return p && out > 0
          ? [
              {
                productId: p.id,
                kind: 'adjustment' as const,
                quantity: -out,
                unitPoints: p.points_price,
                reason: `离线兑换冲突结算 (${input.reason})`.slice(0, 200),
              },
            ]
          : []
      })
      if (moves.length) await appendMoves(trx, villageId, actorIdOf(actor), moves, at)
    }
    await trx.updateTable('redemption_conflicts').set(changes).where('id', '=', id).execute()
    const { items } = await listConflicts(trx, actor, villageId, { status: 'all' })
    return items.find((x) => x.id === id)!
  })
}
