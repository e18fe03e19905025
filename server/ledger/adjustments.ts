import type { DB } from '../../db/database.js'
import { lockVillage, withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Row } from '../../db/schema.js'
import type { Adjustment } from '../../shared/types/ledger.js'
import { actorIdOf, type ActingUser, assertVillage } from '../core/actor.js'
import { noteAudit } from '../core/audit-context.js'
import { DomainError, invalidState, notFound } from '../core/errors.js'
import { scopedVillage } from '../core/scope.js'
import { appendEntries, householdBalances } from './ledger.service.js'

/*
 * Manual adjustments (e.g. opening balances carried over from the paper book) are the one way points appear
 * without a deed: so no one creates them alone. An approver proposes; a second approver (never the proposer:
 * SELF_APPROVAL) approves, and only then does the ledger get its entry, against the issuance account. An
 * adjustment never takes a balance below zero, checked when proposed and again when it posts (the balance may
 * have been spent meanwhile). Honour is untouched: it counts deeds only.
 */

export function adjustmentRowToAdjustment(r: Row<'adjustments'>): Adjustment {
  return {
    id: r.id,
    villageId: r.village_id,
    householdId: r.household_id,
    amount: r.amount,
    reason: r.reason,
    status: r.status,
    proposedBy: r.proposed_by,
    proposedAt: r.proposed_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    rejectReason: r.reject_reason,
    entryId: r.entry_id,
  }
}

function notBelowZero(balance: number, amount: number) {
  if (balance + amount < 0) {
    throw new DomainError(
      'INSUFFICIENT_POINTS',
      `调整后余额不能为负：余额 ${balance}，调整 ${amount} (an adjustment never takes a balance below zero)`,
      { balance, amount },
    )
  }
}

export async function proposeAdjustment(
  db: DB,
  actor: ActingUser,
  householdId: string,
  amount: number,
  reason: string,
): Promise<Adjustment> {
  const villageId = await scopedVillage(db, actor, 'households', householdId)
  return withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    notBelowZero((await householdBalances(trx, [householdId])).get(householdId) ?? 0, amount)
    const row: Row<'adjustments'> = {
      id: newId(),
      village_id: villageId,
      household_id: householdId,
      amount,
      reason,
      status: 'pending',
      proposed_by: actor.id,
      proposed_at: nowIso(),
      decided_by: null,
      decided_at: null,
      reject_reason: null,
      entry_id: null,
    }
    await trx.insertInto('adjustments').values(row).execute()
    noteAudit({ householdId, changes: { adjustment: row.id, amount, status: [null, 'pending'] } })
    return adjustmentRowToAdjustment(row)
  })
}

/** The adjustment, locked for a decision: its village's writes wait for this transaction. */
async function loadPending(trx: DB, actor: ActingUser, id: string) {
  const found = await trx.selectFrom('adjustments').select('village_id').where('id', '=', id).executeTakeFirst()
  if (!found) throw notFound('adjustment')
  assertVillage(actor, found.village_id)
  await lockVillage(trx, found.village_id)
  const row = await trx.selectFrom('adjustments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  if (row.status !== 'pending') throw invalidState(`the adjustment is ${row.status}, not pending`)
  return row
}

export async function approveAdjustment(
  db: DB,
  actor: ActingUser,
  id: string,
): Promise<Adjustment & { balanceAfter: number }> {
  return withTransaction(db, async (trx) => {
    const row = await loadPending(trx, actor, id)
    if (row.proposed_by === actor.id)
      throw new DomainError(
        'SELF_APPROVAL',
        '提出调整的人不能自己批准 (the proposer cannot approve their own adjustment)',
      )
    const balances = await householdBalances(trx, [row.household_id])
    notBelowZero(balances.get(row.household_id) ?? 0, row.amount)
    const [entry] = await appendEntries(
      trx,
      row.village_id,
      actorIdOf(actor),
      [
        {
          kind: 'adjustment',
          householdId: row.household_id,
          amount: row.amount,
          counter: 'issuance',
          memo: `调整：${row.reason}`,
        },
      ],
      balances,
    )
    const decided = { status: 'posted' as const, decided_by: actor.id, decided_at: nowIso(), entry_id: entry!.id }
    await trx.updateTable('adjustments').set(decided).where('id', '=', id).execute()
    noteAudit({
      householdId: row.household_id,
      changes: { adjustment: id, amount: row.amount, status: ['pending', 'posted'], entry: entry!.id },
    })
    return { ...adjustmentRowToAdjustment({ ...row, ...decided }), balanceAfter: entry!.balanceAfter }
  })
}

export async function rejectAdjustment(db: DB, actor: ActingUser, id: string, reason: string): Promise<Adjustment> {
  return withTransaction(db, async (trx) => {
    const row = await loadPending(trx, actor, id)
    const decided = { status: 'rejected' as const, decided_by: actor.id, decided_at: nowIso(), reject_reason: reason }
    await trx.updateTable('adjustments').set(decided).where('id', '=', id).execute()
    noteAudit({ householdId: row.household_id, changes: { adjustment: id, status: ['pending', 'rejected'] } })
    return adjustmentRowToAdjustment({ ...row, ...decided })
  })
}

/** The approval queue's adjustments (newest first), with the household's number and head for the list. */
export async function listAdjustments(db: DB, actor: ActingUser, villageId: string, status?: Adjustment['status']) {
  assertVillage(actor, villageId)
  let q = db
    .selectFrom('adjustments as a')
    .innerJoin('households as h', 'h.id', 'a.household_id')
    .selectAll('a')
    .select(['h.household_no', 'h.head_name'])
    .where('a.village_id', '=', villageId)
    .orderBy('a.proposed_at', 'desc')
    .limit(500)
  if (status) q = q.where('a.status', '=', status)
  const rows = await q.execute()
  return {
    items: rows.map((r) => ({ ...adjustmentRowToAdjustment(r), householdNo: r.household_no, headName: r.head_name })),
    nextCursor: null,
  }
}
