import type { DB } from '../../../db/database.js'
import { lockVillage, withTransaction } from '../../../db/database.js'
import { newId, nowIso } from '../../../db/ids.js'
import { type ActingUser, assertVillage } from '../../core/actor.js'
import { notFound } from '../../core/errors.js'
import { productsByIds } from '../products/products.service.js'
import { appendMoves, type MoveSpec } from './moves.js'

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
export async function recordStocktake(
  db: DB,
  actor: ActingUser,
  villageId: string,
  input: { note?: string | null; counts: { productId: string; counted: number }[] },
) {
  assertVillage(actor, villageId)
  const actorId = actor.id
  const id = newId()
  await withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const products = await productsByIds(
      trx,
      villageId,
      input.counts.map((c) => c.productId),
    )
    const at = nowIso()
    await trx
      .insertInto('stocktakes')
      .values({ id, village_id: villageId, note: input.note ?? null, at, created_by: actorId })
      .execute()
    await trx
      .insertInto('stocktake_lines')
      .values(
        input.counts.map((c) => ({
          village_id: villageId,
          stocktake_id: id,
          product_id: c.productId,
          expected: products.get(c.productId)!.stock,
          counted: c.counted,
        })),
      )
      .execute()
    const moves: MoveSpec[] = input.counts
      .map((c) => ({ c, p: products.get(c.productId)! }))
      .filter(({ c, p }) => c.counted !== p.stock)
      .map(({ c, p }) => ({
        productId: p.id,
        kind: 'stocktake' as const,
        quantity: c.counted - p.stock,
        unitPoints: p.points_price,
        stocktakeId: id,
        reason: input.note ?? '盘点 (stocktake)',
      }))
    await appendMoves(trx, villageId, actorId, moves, at)
  })
  return getStocktake(db, actor, villageId, id)
}

export async function getStocktake(db: DB, actor: ActingUser, villageId: string, id: string): Promise<Stocktake> {
  assertVillage(actor, villageId)
  const st = await db
    .selectFrom('stocktakes')
    .selectAll()
    .where('id', '=', id)
    .where('village_id', '=', villageId)
    .executeTakeFirst()
  if (!st) throw notFound('stocktake')
  const rows = await db
    .selectFrom('stocktake_lines as l')
    .innerJoin('products as p', 'p.id', 'l.product_id')
    .select(['l.product_id', 'p.sku', 'p.name', 'l.expected', 'l.counted'])
    .where('l.stocktake_id', '=', id)
    .orderBy('p.sku')
    .execute()
  const lines = rows.map((r) => ({
    productId: r.product_id,
    sku: r.sku,
    name: r.name,
    expected: r.expected,
    counted: r.counted,
    delta: r.counted - r.expected,
  }))
  return {
    id: st.id,
    note: st.note,
    at: st.at,
    createdBy: st.created_by,
    lines,
    adjusted: lines.filter((l) => l.delta !== 0).length,
  }
}

export async function listStocktakes(
  db: DB,
  actor: ActingUser,
  villageId: string,
  { limit, cursor }: { limit: number; cursor?: string },
) {
  assertVillage(actor, villageId)
  let q = db
    .selectFrom('stocktakes')
    .select('id')
    .where('village_id', '=', villageId)
    .orderBy('id', 'desc')
    .limit(limit + 1)
  if (cursor) q = q.where('id', '<', cursor)
  const ids = await q.execute()
  const page = ids.slice(0, limit)
  const items = []
  for (const { id } of page) items.push(await getStocktake(db, actor, villageId, id))
  return { items, nextCursor: ids.length > limit ? page[page.length - 1]!.id : null }
}
