import type { DB } from '../../../db/database.js'
import type { Row, StockMoveKind } from '../../../db/schema.js'
import type { ActingUser } from '../../core/actor.js'
import { villageMonth } from '../../villages/villages.service.js'

/* The stock ledger, read: every move in order, as the supermarket's own books. */

export interface StockMovement {
  id: number
  at: string
  productId: string
  sku: string
  name: string
  kind: StockMoveKind
  quantity: number
  unitPoints: number | null
  bestBefore: string | null
  reason: string | null
  receiptId: string | null
  redemptionId: string | null
  stocktakeId: string | null
  createdBy: string | null
}

const moveToMovement = (r: Row<'stock_moves'> & { sku: string; name: string }): StockMovement => ({
  id: r.id,
  at: r.at,
  productId: r.product_id,
  sku: r.sku,
  name: r.name,
  kind: r.kind,
  quantity: r.quantity,
  unitPoints: r.unit_points,
  bestBefore: r.best_before,
  reason: r.reason,
  receiptId: r.receipt_id,
  redemptionId: r.redemption_id,
  stocktakeId: r.stocktake_id,
  createdBy: r.created_by,
})

/** Stock moves in order (of a month, when given), a page at a time: the supermarket's own ledger. */
export async function stockMovements(
  db: DB,
  actor: ActingUser,
  villageId: string,
  opts: { month?: string; productId?: string; kind?: StockMoveKind; limit: number; cursor?: string },
) {
  const range = await villageMonth(db, actor, villageId, opts.month)
  let q = db
    .selectFrom('stock_moves as m')
    .innerJoin('products as p', 'p.id', 'm.product_id')
    .selectAll('m')
    .select(['p.sku', 'p.name'])
    .where('m.village_id', '=', villageId)
    .orderBy('m.id')
    .limit(opts.limit + 1)
  if (range) q = q.where('m.at', '>=', range.start).where('m.at', '<', range.end)
  if (opts.productId) q = q.where('m.product_id', '=', opts.productId)
  if (opts.kind) q = q.where('m.kind', '=', opts.kind)
  if (opts.cursor) q = q.where('m.id', '>', Number(opts.cursor) || 0)
  const rows = await q.execute()
  const page = rows.slice(0, opts.limit)
  return {
    items: page.map(moveToMovement),
    nextCursor: rows.length > opts.limit ? String(page[page.length - 1]!.id) : null,
  }
}
