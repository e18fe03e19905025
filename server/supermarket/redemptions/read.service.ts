import type { DB } from '../../../db/database.js'
import type { Row } from '../../../db/schema.js'
import type { Page } from '../../../shared/schemas/common.js'
import type { Redemption, RedemptionLine } from '../../../shared/types/supermarket.js'
import type { ActingUser } from '../../core/actor.js'
import { notFound } from '../../core/errors.js'
import { scopedVillage } from '../../core/scope.js'
import { villageMonth } from '../../villages/villages.service.js'

export type { Redemption, RedemptionLine }

type RedemptionRow = Row<'redemptions'> & { household_no: string }

async function linesOf(db: DB, ids: string[]): Promise<Map<string, RedemptionLine[]>> {
  const byRedemption = new Map<string, RedemptionLine[]>()
  if (ids.length === 0) return byRedemption
  const rows = await db
    .selectFrom('redemption_lines as l')
    .innerJoin('products as p', 'p.id', 'l.product_id')
    .select(['l.redemption_id', 'l.product_id', 'p.sku', 'p.name', 'p.unit', 'l.quantity', 'l.unit_points', 'l.points'])
    .where('l.redemption_id', 'in', ids)
    .orderBy('p.sku')
    .execute()
  for (const r of rows) {
    const list = byRedemption.get(r.redemption_id) ?? []
    list.push({
      productId: r.product_id,
      sku: r.sku,
      name: r.name,
      unit: r.unit,
      quantity: r.quantity,
      unitPoints: r.unit_points,
      points: r.points,
    })
    byRedemption.set(r.redemption_id, list)
  }
  return byRedemption
}

function rowToRedemption(r: RedemptionRow, items: RedemptionLine[]): Redemption {
  return {
    id: r.id,
    receiptNo: r.receipt_no,
    householdId: r.household_id,
    householdNo: r.household_no,
    cardId: r.card_id,
    pointsSpent: r.points_spent,
    balanceAfter: r.balance_after,
    items,
    at: r.at,
    cashierId: r.cashier_id,
    ledgerEntryId: r.ledger_entry_id,
    voided: r.voided_at !== null,
    voidedAt: r.voided_at,
    voidedBy: r.voided_by,
    voidReason: r.void_reason,
    voidEntryId: r.void_entry_id,
  }
}

function selectRedemptions(db: DB, villageId: string) {
  return db
    .selectFrom('redemptions')
    .innerJoin('households', 'households.id', 'redemptions.household_id')
    .selectAll('redemptions')
    .select('households.household_no')
    .where('redemptions.village_id', '=', villageId)
}

export async function getRedemption(db: DB, actor: ActingUser, id: string): Promise<Redemption> {
  const villageId = await scopedVillage(db, actor, 'redemptions', id)
  const r = await selectRedemptions(db, villageId).where('redemptions.id', '=', id).executeTakeFirst()
  if (!r) throw notFound('redemption')
  return rowToRedemption(r, (await linesOf(db, [id])).get(id) ?? [])
}

/** Redemptions newest first (of a month, of a household, when given), a page at a time. */
export async function listRedemptions(
  db: DB,
  actor: ActingUser,
  villageId: string,
  opts: { month?: string; householdId?: string; limit: number; cursor?: string },
): Promise<Page<Redemption>> {
  const range = await villageMonth(db, actor, villageId, opts.month)
  let q = selectRedemptions(db, villageId)
    .orderBy('redemptions.id', 'desc')
    .limit(opts.limit + 1)
  if (range) q = q.where('redemptions.at', '>=', range.start).where('redemptions.at', '<', range.end)
  if (opts.householdId) q = q.where('redemptions.household_id', '=', opts.householdId)
  if (opts.cursor) q = q.where('redemptions.id', '<', opts.cursor)
  const rows = await q.execute()
  const page = rows.slice(0, opts.limit)
  const lines = await linesOf(
    db,
    page.map((r) => r.id),
  )
  return {
    items: page.map((r) => rowToRedemption(r, lines.get(r.id) ?? [])),
    nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null,
  }
}
