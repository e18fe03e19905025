import type { DB } from '../../db/database.js'
import { monthRange } from '../../shared/time.js'
import type { LedgerLine } from '../../shared/types/ledger.js'
import { type ActingUser, assertVillage } from '../core/actor.js'
import { notFound } from '../core/errors.js'

export type { LedgerLine }

/**
 * A household's statement: every entry (of a month, when given, in the village's time zone) with its running
 * balance. Refuses another village's household.
 */
export async function householdLedger(db: DB, actor: ActingUser, householdId: string, month: string | undefined) {
  const household = await db
    .selectFrom('households as h')
    .innerJoin('villages as v', 'v.id', 'h.village_id')
    .select(['h.village_id', 'v.timezone'])
    .where('h.id', '=', householdId)
    .executeTakeFirst()
  if (!household) throw notFound('household')
  assertVillage(actor, household.village_id)
  const timezone = household.timezone
  let q = db
    .selectFrom('ledger_entries as e')
    .leftJoin('ledger_entries as r', 'r.reverses_id', 'e.id')
    .select([
      'e.id',
      'e.seq',
      'e.at',
      'e.amount',
      'e.kind',
      'e.memo',
      'e.balance_after',
      'e.occurred_on',
      'e.rule_id',
      'e.award_id',
      'e.redemption_id',
      'e.reverses_id',
      'e.created_by',
      'r.id as reversed_by',
    ])
    .where('e.household_id', '=', householdId)
    .orderBy('e.seq')
  let openingBalance = 0
  if (month) {
    const { start, end } = monthRange(month, timezone)
    q = q.where('e.at', '>=', start).where('e.at', '<', end)
    const before = await db
      .selectFrom('ledger_entries')
      .select('balance_after')
      .where('household_id', '=', householdId)
      .where('at', '<', start)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    openingBalance = before?.balance_after ?? 0
  }
  const rows = await q.execute()
  const entries: LedgerLine[] = rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    at: r.at,
    amount: r.amount,
    kind: r.kind,
    memo: r.memo,
    balanceAfter: r.balance_after,
    occurredOn: r.occurred_on,
    ruleId: r.rule_id,
    awardId: r.award_id,
    redemptionId: r.redemption_id,
    reversesId: r.reverses_id,
    reversedBy: r.reversed_by,
    createdBy: r.created_by,
  }))
  const closingBalance = entries.length ? entries[entries.length - 1]!.balanceAfter : openingBalance
  return { householdId, month: month ?? null, openingBalance, closingBalance, entries }
}
