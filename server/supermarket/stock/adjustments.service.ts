import type { DB } from '../../../db/database.js'
import { lockVillage, withTransaction } from '../../../db/database.js'
import { nowIso } from '../../../db/ids.js'
import type { StockAdjustmentInput } from '../../../shared/schemas/supermarket.js'
import { type ActingUser, assertVillage } from '../../core/actor.js'
import { productsByIds } from '../products/products.service.js'
import { appendMoves, outOfStock } from './moves.js'

/* Adjustments and stocktakes keep the books matching the shelves (账实相符). */

/** A loss, damage or count correction, with a reason; never below zero. */
export async function adjustStock(db: DB, actor: ActingUser, villageId: string, input: StockAdjustmentInput) {
  assertVillage(actor, villageId)
  const actorId = actor.id
  const at = nowIso()
  return withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const product = (await productsByIds(trx, villageId, [input.productId])).get(input.productId)!
    if (product.stock + input.delta < 0)
      throw outOfStock([{ productId: product.id, stock: product.stock, requested: -input.delta }])
    await appendMoves(
      trx,
      villageId,
      actorId,
      [
        {
          productId: product.id,
          kind: 'adjustment',
          quantity: input.delta,
          unitPoints: product.points_price,
          reason: input.reason,
        },
      ],
      at,
    )
    return {
      productId: product.id,
      kind: 'adjustment' as const,
      quantity: input.delta,
      reason: input.reason,
      at,
      stockAfter: product.stock + input.delta,
    }
  })
}
