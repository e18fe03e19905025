import type { DB } from '../../db/database.js'
import { periodOf } from '../../shared/time.js'
import { DomainError } from '../core/errors.js'
import type { Rule } from '../rules/rules.service.js'

/**
 * A rule with a limit may reach a household at most `count` times per period, counted on the deed date
 * (already a date in the village's calendar). Reversed entries do not count. Checked when an award is
 * proposed and again when it posts, since other awards may have posted in between.
 */
export async function assertWithinRuleLimit(trx: DB, rule: Rule, householdIds: string[], occurredOn: string) {
  if (!rule.limit) return
  const { from, to } = periodOf(occurredOn, rule.limit.period)
  const counts = new Map<string, number>()
  for (let i = 0; i < householdIds.length; i += 400) {
    const rows = await trx
      .selectFrom('ledger_entries as e')
      .select(['e.household_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('e.rule_id', '=', rule.id)
      .where('e.household_id', 'in', householdIds.slice(i, i + 400))
      .where('e.occurred_on', '>=', from)
      .where('e.occurred_on', '<=', to)
      .where('e.kind', 'in', ['award', 'deduction'])
      .where((eb) => eb.not(eb.exists(eb.selectFrom('ledger_entries as r').select('r.id').whereRef('r.reverses_id', '=', 'e.id'))))
      .groupBy('e.household_id')
      .execute()
    for (const r of rows) counts.set(r.household_id!, Number(r.n))
  }
  const over = [...counts].filter(([, n]) => n + 1 > rule.limit!.count)
  if (over.length === 0) return
  const numbers = await trx.selectFrom('households').select(['id', 'household_no']).where('id', 'in', over.slice(0, 400).map(([id]) => id)).execute()
  const noOf = new Map(numbers.map((h) => [h.id, h.household_no]))
  throw new DomainError(
    'RULE_LIMIT_EXCEEDED',
    `rule ${rule.code} allows ${rule.limit.count} per ${rule.limit.period}: ${over.length} household(s) already reached it`,
    over.map(([householdId, count]) => ({ householdId, householdNo: noOf.get(householdId) ?? null, count, limit: rule.limit!.count, period: rule.limit!.period, from, to })),
  )
}
