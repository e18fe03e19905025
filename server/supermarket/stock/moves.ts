import { type DB, lockVillage } from '../../../db/database.js'
import { nowIso } from '../../../db/ids.js'
import type { StockMoveKind } from '../../../db/schema.js'
import { DomainError } from '../../core/errors.js'

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
  /** A relief distribution's goods out (issue 18, server/relief/). */
  reliefId?: string | null
  bestBefore?: string | null
  reason?: string | null
}

export const outOfStock = (details: unknown) => new DomainError('OUT_OF_STOCK', '库存不足 (not enough stock)', details)

/** Appends stock moves and moves the kept stock with them, inside the caller's transaction. */
export async function appendMoves(
  trx: DB,
  villageId: string,
  actorId: string | null,
  specs: MoveSpec[],
  at = nowIso(),
) {
  await lockVillage(trx, villageId) // as in appendEntries: the caller's lock, taken again for safety
  for (const s of specs) {
    if (!Number.isSafeInteger(s.quantity) || s.quantity === 0)
      throw new Error(`stock move must be a non-zero integer: ${s.quantity}`)
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
    village_id: villageId,
    product_id: s.productId,
    kind: s.kind,
    quantity: s.quantity,
    unit_points: s.unitPoints,
    receipt_id: s.receiptId ?? null,
    redemption_id: s.redemptionId ?? null,
    stocktake_id: s.stocktakeId ?? null,
    relief_id: s.reliefId ?? null,
    best_before: s.bestBefore ?? null,
    reason: s.reason ?? null,
    at,
    created_by: actorId,
  }))
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('stock_moves')
      .values(rows.slice(i, i + 500))
      .execute()
}
