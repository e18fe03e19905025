import type { DB } from '../../../db/database.js'
import { lockVillage, withTransaction } from '../../../db/database.js'
import { newId, nowIso } from '../../../db/ids.js'
import type { StockReceiptInput } from '../../../shared/schemas/supermarket.js'
import type { StockReceipt, StockReceiptLine } from '../../../shared/types/supermarket.js'
import { type ActingUser, assertVillage } from '../../core/actor.js'
import { notFound } from '../../core/errors.js'
import { villageMonth, villageTimezone } from '../../villages/villages.service.js'
import { localDate } from '../../../shared/time.js'
import { productsByIds } from '../products/products.service.js'
import { appendMoves } from '../stock/moves.js'

/* Goods in: a receipt from a donor (捐赠), each line a stock move of kind 'receipt'. */

export type { StockReceipt, StockReceiptLine }

/**
 * A donation receipt's number (issue 17): JZ (捐赠) - the year in the village's calendar - the village's count of
 * receipts that year, JZ-2026-0007. Taken under the village lock, so two counters never get the same number
 * (and a unique index would refuse it if they did).
 */
async function nextReceiptNo(trx: DB, villageId: string, year: string): Promise<string> {
  const prefix = `JZ-${year}-`
  const { n } = await trx
    .selectFrom('stock_receipts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('village_id', '=', villageId)
    .where('receipt_no', '>=', prefix)
    .where('receipt_no', '<', `JZ-${year}.`)
    .executeTakeFirstOrThrow()
  return `${prefix}${String(Number(n) + 1).padStart(4, '0')}`
}

/** Goods come in (mostly a donation): one receipt, a stock move per line. */
export async function receiveStock(
  db: DB,
  actor: ActingUser,
  villageId: string,
  input: StockReceiptInput,
): Promise<StockReceipt> {
  assertVillage(actor, villageId)
  const actorId = actor.id
  const id = newId()
  const timezone = await villageTimezone(db, actor, villageId)
  await withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const products = await productsByIds(
      trx,
      villageId,
      input.items.map((i) => i.productId),
    )
    const at = nowIso()
    const receiptNo = await nextReceiptNo(trx, villageId, localDate(new Date(at), timezone).slice(0, 4))
    await trx
      .insertInto('stock_receipts')
      .values({
        id,
        village_id: villageId,
        receipt_no: receiptNo,
        donor: input.donor ?? null,
        donor_org: input.donorOrg ?? null,
        note: input.note ?? null,
        at,
        created_by: actorId,
      })
      .execute()
    await appendMoves(
      trx,
      villageId,
      actorId,
      input.items.map((i) => ({
        productId: i.productId,
        kind: 'receipt' as const,
        quantity: i.quantity,
        unitPoints: products.get(i.productId)!.points_price,
        receiptId: id,
        bestBefore: i.bestBefore ?? null,
      })),
      at,
    )
  })
  return getStockReceipt(db, actor, id)
}

export async function getStockReceipt(db: DB, actor: ActingUser, id: string): Promise<StockReceipt> {
  const r = await db.selectFrom('stock_receipts').selectAll().where('id', '=', id).executeTakeFirst()
  if (!r) throw notFound('stock receipt')
  assertVillage(actor, r.village_id)
  const villageId = r.village_id
  const lines = await db
    .selectFrom('stock_moves as m')
    .innerJoin('products as p', 'p.id', 'm.product_id')
    .select([
      'm.product_id',
      'p.sku',
      'p.name',
      'p.unit',
      'p.points_price',
      'm.quantity',
      'm.best_before',
      'm.unit_points',
    ])
    .where('m.receipt_id', '=', id)
    .where('m.village_id', '=', villageId)
    .where('m.kind', '=', 'receipt')
    .orderBy('m.id')
    .execute()
  const items = lines.map((l) => {
    const unitPoints = l.unit_points ?? l.points_price
    return {
      productId: l.product_id,
      sku: l.sku,
      name: l.name,
      unit: l.unit,
      quantity: l.quantity,
      bestBefore: l.best_before,
      unitPoints,
      points: unitPoints * l.quantity,
    }
  })
  return {
    id: r.id,
    receiptNo: r.receipt_no ?? null,
    donor: r.donor,
    donorOrg: r.donor_org,
    note: r.note,
    at: r.at,
    createdBy: r.created_by,
    items,
    totalQuantity: items.reduce((s, i) => s + i.quantity, 0),
    totalPoints: items.reduce((s, i) => s + i.points, 0),
  }
}

/** Receipts newest first (of a month in the village's time zone, when given), a page at a time. */
export async function listStockReceipts(
  db: DB,
  actor: ActingUser,
  villageId: string,
  opts: { month?: string; limit: number; cursor?: string },
) {
  const { limit, cursor } = opts
  const range = await villageMonth(db, actor, villageId, opts.month)
  let q = db
    .selectFrom('stock_receipts')
    .select('id')
    .where('village_id', '=', villageId)
    .orderBy('id', 'desc')
    .limit(limit + 1)
  if (range) q = q.where('at', '>=', range.start).where('at', '<', range.end)
  if (cursor) q = q.where('id', '<', cursor)
  const ids = await q.execute()
  const page = ids.slice(0, limit)
  const items = []
  for (const { id } of page) items.push(await getStockReceipt(db, actor, id))
  return { items, nextCursor: ids.length > limit ? page[page.length - 1]!.id : null }
}
