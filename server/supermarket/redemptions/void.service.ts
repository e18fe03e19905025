import type { DB } from '../../../db/database.js'
import { lockVillage, withTransaction } from '../../../db/database.js'
import { localDate } from '../../../shared/time.js'
import type { ActingUser } from '../../core/actor.js'
import { DomainError, forbidden, notFound } from '../../core/errors.js'
import { scopedVillage } from '../../core/scope.js'
import { appendEntries } from '../../ledger/ledger.service.js'
import { villageTimezone } from '../../villages/villages.service.js'
import { appendMoves } from '../stock/moves.js'
import { getRedemption } from './read.service.js'

const mayVoidAnyDay = (u: ActingUser) => u.roles.includes('admin') || u.roles.includes('approver')

/**
 * Undoes a redemption: the points go back through a reversal entry linked to the original, the goods go back
 * to stock. Once only (reverses_id is unique in the ledger). A cashier may void the same day (the household is
 * usually still at the counter); later it is an approver's decision.
 */
export async function voidRedemption(db: DB, actor: ActingUser, id: string, reason: string, now = new Date()) {
  const villageId = await scopedVillage(db, actor, 'redemptions', id)
  const tz = await villageTimezone(db, actor, villageId)
  const balance = await withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const r = await trx
      .selectFrom('redemptions')
      .selectAll()
      .where('id', '=', id)
      .where('village_id', '=', villageId)
      .executeTakeFirst()
    if (!r) throw notFound('redemption')
    const reversal = await trx
      .selectFrom('ledger_entries')
      .select('id')
      .where('reverses_id', '=', r.ledger_entry_id)
      .executeTakeFirst()
    if (r.voided_at || reversal)
      throw new DomainError('ALREADY_REVERSED', '这笔兑换已作废 (this redemption was already voided)')
    if (!mayVoidAnyDay(actor) && localDate(r.at, tz) !== localDate(now, tz)) {
      throw forbidden(
        '收银员只能作废当天的兑换，往日的请审批人作废 (a cashier may void only the same day; ask an approver)',
      )
    }
    const lines = await trx.selectFrom('redemption_lines').selectAll().where('redemption_id', '=', id).execute()
    const [entry] = await appendEntries(trx, villageId, actor.id, [
      {
        kind: 'reversal',
        householdId: r.household_id,
        amount: r.points_spent,
        counter: 'supermarket',
        memo: `作废兑换 ${r.receipt_no}：${reason}`,
        reversesId: r.ledger_entry_id,
        redemptionId: r.id,
      },
    ])
    await appendMoves(
      trx,
      villageId,
      actor.id,
      lines.map((l) => ({
        productId: l.product_id,
        kind: 'void' as const,
        quantity: l.quantity,
        unitPoints: l.unit_points,
        redemptionId: r.id,
        reason,
      })),
      entry!.at,
    )
    const res = await trx
      .updateTable('redemptions')
      .set({ voided_at: entry!.at, voided_by: actor.id, void_reason: reason, void_entry_id: entry!.id })
      .where('id', '=', id)
      .where('voided_at', 'is', null)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) !== 1)
      throw new DomainError('ALREADY_REVERSED', '这笔兑换已作废 (this redemption was already voided)')
    return entry!.balanceAfter
  })
  return { ...(await getRedemption(db, actor, id)), balance }
}
