import type { DB } from '../../db/database.js'
import { lockVillage, withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Row, StockMoveKind } from '../../db/schema.js'
import type { StockAdjustmentInput, StockReceiptInput } from '../../shared/schemas/supermarket.js'
import { DomainError, notFound } from '../http/errors.js'
import { productsByIds } from './products.service.js'

/*
 * Stock is a second append-only ledger: every change of a product's stock is a stock move (receipt from a
 * donor, redemption, void, adjustment with a reason, stocktake), and products.stock is kept equal to the sum of
 * its moves in the same transaction. Stock never goes below zero: the update refuses it, and so does the
 * table's CHECK constraint.
 */

export interface MoveSpec {
  productId: string
  kind: StockMoveKind
  /** Signed: goods in are positive, goods out negative. */
  quantity: number
  unitPoints: number | null
  receiptId?: string | null
  redemptionId?: string | null
  stocktakeId?: string | null
  bestBefore?: string | null
  reason?: string | null
}

export const outOfStock = (details: unknown) => new DomainError('OUT_OF_STOCK', '库存不足 (not enough stock)', details)

/** Appends stock moves and moves the kept stock with them, inside the caller's transaction. */
export async function appendMoves(trx: DB, villageId: string, actorId: string | null, specs: MoveSpec[], at = nowIso()) {
  await lockVillage(trx, villageId) // as in appendEntries: the caller's lock, taken again for safety
  for (const s of specs) {
    if (!Number.isSafeInteger(s.quantity) || s.quantity === 0) throw new Error(`stock move must be a non-zero integer: ${s.quantity}`)
    const res = await trx
      .updateTable('products')
      .set((eb) => ({ stock: eb('stock', '+', s.quantity) }))
      .where('id', '=', s.productId)
      .where('village_id', '=', villageId)
      .where((eb) => eb(eb('stock', '+', s.quantity), '>=', 0))
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) throw outOfStock([{ productId: s.productId, requested: -s.quantity }])
  }
  const rows = specs.map((s) => ({
    village_id: villageId, product_id: s.productId, kind: s.kind, quantity: s.quantity, unit_points: s.unitPoints,
    receipt_id: s.receiptId ?? null, redemption_id: s.redemptionId ?? null, stocktake_id: s.stocktakeId ?? null,
    best_before: s.bestBefore ?? null, reason: s.reason ?? null, at, created_by: actorId,
  }))
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('stock_moves').values(rows.slice(i, i + 500)).execute()
}

// ---- receipts (goods in, mostly donations) -------------------------------------------------------------------

export interface StockReceiptLine {
  productId: string
  sku: string
  name: string
  unit: string | null
  quantity: number
  bestBefore: string | null
  unitPoints: number
  points: number
}

export interface StockReceipt {
  id: string
  donor: string | null
  donorOrg: string | null
  note: string | null
  at: string
  createdBy: string | null
  items: StockReceiptLine[]
  totalQuantity: number
  totalPoints: number
}

export async function receiveStock(db: DB, villageId: string, actorId: string, input: StockReceiptInput): Promise<StockReceipt> {
  const id = newId()
  await withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const products = await productsByIds(trx, villageId, input.items.map((i) => i.productId))
    const at = nowIso()
    await trx
      .insertInto('stock_receipts')
      .values({ id, village_id: villageId, donor: input.donor ?? null, donor_org: input.donorOrg ?? null, note: input.note ?? null, at, created_by: actorId })
      .execute()
    await appendMoves(trx, villageId, actorId, input.items.map((i) => ({
      productId: i.productId, kind: 'receipt' as const, quantity: i.quantity, unitPoints: products.get(i.productId)!.points_price,
      receiptId: id, bestBefore: i.bestBefore ?? null,
    })), at)
  })
  return getStockReceipt(db, villageId, id)
}

export async function getStockReceipt(db: DB, villageId: string, id: string): Promise<StockReceipt> {
  const r = await db.selectFrom('stock_receipts').selectAll().where('id', '=', id).where('village_id', '=', villageId).executeTakeFirst()
  if (!r) throw notFound('stock receipt')
  const lines = await db
    .selectFrom('stock_moves as m')
    .innerJoin('products as p', 'p.id', 'm.product_id')
    .select(['m.product_id', 'p.sku', 'p.name', 'p.unit', 'p.points_price', 'm.quantity', 'm.best_before', 'm.unit_points'])
    .where('m.receipt_id', '=', id)
    .where('m.village_id', '=', villageId)
    .where('m.kind', '=', 'receipt')
    .orderBy('m.id')
    .execute()
  const items = lines.map((l) => {
    const unitPoints = l.unit_points ?? l.points_price
    return {
      productId: l.product_id, sku: l.sku, name: l.name, unit: l.unit, quantity: l.quantity, bestBefore: l.best_before,
      unitPoints, points: unitPoints * l.quantity,
    }
  })
  return {
    id: r.id, donor: r.donor, donorOrg: r.donor_org, note: r.note, at: r.at, createdBy: r.created_by, items,
    totalQuantity: items.reduce((s, i) => s + i.quantity, 0), totalPoints: items.reduce((s, i) => s + i.points, 0),
  }
}

export async function listStockReceipts(db: DB, villageId: string, range: { start: string; end: string } | null, limit: number, cursor?: string) {
  let q = db.selectFrom('stock_receipts').select('id').where('village_id', '=', villageId).orderBy('id', 'desc').limit(limit + 1)
  if (range) q = q.where('at', '>=', range.start).where('at', '<', range.end)
  if (cursor) q = q.where('id', '<', cursor)
  const ids = await q.execute()
  const page = ids.slice(0, limit)
  const items = []
  for (const { id } of page) items.push(await getStockReceipt(db, villageId, id))
  return { items, nextCursor: ids.length > limit ? page[page.length - 1]!.id : null }
}

// ---- adjustments and stocktakes (books must match shelves: 账实相符) ------------------------------------------

export async function adjustStock(db: DB, villageId: string, actorId: string, input: StockAdjustmentInput) {
  const at = nowIso()
  return withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const product = (await productsByIds(trx, villageId, [input.productId])).get(input.productId)!
    if (product.stock + input.delta < 0) throw outOfStock([{ productId: product.id, stock: product.stock, requested: -input.delta }])
    await appendMoves(trx, villageId, actorId, [
      { productId: product.id, kind: 'adjustment', quantity: input.delta, unitPoints: product.points_price, reason: input.reason },
    ], at)
    return { productId: product.id, kind: 'adjustment' as const, quantity: input.delta, reason: input.reason, at, stockAfter: product.stock + input.delta }
  })
}

export interface StocktakeLine {
  productId: string
  sku: string
  name: string
  expected: number
  counted: number
  delta: number
}

export interface Stocktake {
  id: string
  note: string | null
  at: string
  createdBy: string | null
  lines: StocktakeLine[]
  adjusted: number
}

/**
 * Records a count of the shelves. Every counted product gets a line (a match is proof too); each difference
 * becomes a stock move of kind 'stocktake', so afterwards the books say what the shelves hold.
 */
export async function recordStocktake(db: DB, villageId: string, actorId: string, input: { note?: string | null; counts: { productId: string; counted: number }[] }) {
  const id = newId()
  await withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const products = await productsByIds(trx, villageId, input.counts.map((c) => c.productId))
    const at = nowIso()
    await trx.insertInto('stocktakes').values({ id, village_id: villageId, note: input.note ?? null, at, created_by: actorId }).execute()
    await trx
      .insertInto('stocktake_lines')
      .values(input.counts.map((c) => ({ village_id: villageId, stocktake_id: id, product_id: c.productId, expected: products.get(c.productId)!.stock, counted: c.counted })))
      .execute()
    const moves: MoveSpec[] = input.counts
      .map((c) => ({ c, p: products.get(c.productId)! }))
      .filter(({ c, p }) => c.counted !== p.stock)
      .map(({ c, p }) => ({
        productId: p.id, kind: 'stocktake' as const, quantity: c.counted - p.stock, unitPoints: p.points_price,
        stocktakeId: id, reason: input.note ?? '盘点 (stocktake)',
      }))
    await appendMoves(trx, villageId, actorId, moves, at)
  })
  return getStocktake(db, villageId, id)
}

export async function getStocktake(db: DB, villageId: string, id: string): Promise<Stocktake> {
  const st = await db.selectFrom('stocktakes').selectAll().where('id', '=', id).where('village_id', '=', villageId).executeTakeFirst()
  if (!st) throw notFound('stocktake')
  const rows = await db
    .selectFrom('stocktake_lines as l')
    .innerJoin('products as p', 'p.id', 'l.product_id')
    .select(['l.product_id', 'p.sku', 'p.name', 'l.expected', 'l.counted'])
    .where('l.stocktake_id', '=', id)
    .orderBy('p.sku')
    .execute()
  const lines = rows.map((r) => ({ productId: r.product_id, sku: r.sku, name: r.name, expected: r.expected, counted: r.counted, delta: r.counted - r.expected }))
  return { id: st.id, note: st.note, at: st.at, createdBy: st.created_by, lines, adjusted: lines.filter((l) => l.delta !== 0).length }
}

export async function listStocktakes(db: DB, villageId: string, limit: number, cursor?: string) {
  let q = db.selectFrom('stocktakes').select('id').where('village_id', '=', villageId).orderBy('id', 'desc').limit(limit + 1)
  if (cursor) q = q.where('id', '<', cursor)
  const ids = await q.execute()
  const page = ids.slice(0, limit)
  const items = []
  for (const { id } of page) items.push(await getStocktake(db, villageId, id))
  return { items, nextCursor: ids.length > limit ? page[page.length - 1]!.id : null }
}

// ---- the stock ledger, read ----------------------------------------------------------------------------------

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
  id: r.id, at: r.at, productId: r.product_id, sku: r.sku, name: r.name, kind: r.kind, quantity: r.quantity,
  unitPoints: r.unit_points, bestBefore: r.best_before, reason: r.reason, receiptId: r.receipt_id,
  redemptionId: r.redemption_id, stocktakeId: r.stocktake_id, createdBy: r.created_by,
})

/** Stock moves in order (of a month, when given), a page at a time: the supermarket's own ledger. */
export async function stockMovements(
  db: DB,
  villageId: string,
  opts: { range?: { start: string; end: string } | null; productId?: string; kind?: StockMoveKind; limit: number; cursor?: string },
) {
  let q = db
    .selectFrom('stock_moves as m')
    .innerJoin('products as p', 'p.id', 'm.product_id')
    .selectAll('m')
    .select(['p.sku', 'p.name'])
    .where('m.village_id', '=', villageId)
    .orderBy('m.id')
    .limit(opts.limit + 1)
  if (opts.range) q = q.where('m.at', '>=', opts.range.start).where('m.at', '<', opts.range.end)
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
