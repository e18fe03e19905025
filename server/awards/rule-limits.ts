import type { DB } from '../../db/database.js'
import { periodOf } from '../../shared/time.js'
import type { LimitProblem } from '../../shared/types/awards.js'
import { DomainError } from '../core/errors.js'
import type { Rule } from '../rules/rules.service.js'

export type { LimitProblem }

const PERIOD_ZH = { day: '每天', week: '每周', month: '每月', year: '每年' } as const

/** 0003 王秀英：已得 2 次，待批 1 次，每月最多 2 次 — what the approver and the clerk read (issue 17). */
export function limitProblemText(p: LimitProblem): string {
  return `${p.householdNo} ${p.headName}：已得 ${p.count} 次${p.pending ? `，待批 ${p.pending} 次` : ''}，${PERIOD_ZH[p.period]}最多 ${p.limit} 次`
}

const chunks = <T>(xs: T[], n = 400) =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n))

/**
 * The households that one more application of the rule would take over its limit: `count` times per period,
 * counted on the deed date (a date in the village's calendar). Counted: the posted entries not reversed, and
 * with `pendingExcept` (at proposal) also the other awards of the rule still pending or on notice, so two
 * proposals cannot together pass the limit that each passes alone. At posting only the posted entries count:
 * the awards still pending were themselves checked against this one when they were proposed.
 */
export async function overRuleLimit(
  trx: DB,
  rule: Rule,
  householdIds: string[],
  occurredOn: string,
  opts: { pendingExcept?: string } = {},
): Promise<LimitProblem[]> {
  if (!rule.limit) return []
  const { from, to } = periodOf(occurredOn, rule.limit.period)
  const posted = new Map<string, number>()
  const pending = new Map<string, number>()
  for (const ids of chunks(householdIds)) {
    const rows = await trx
      .selectFrom('ledger_entries as e')
      .select(['e.household_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('e.village_id', '=', rule.villageId)
      .where('e.rule_id', '=', rule.id)
      .where('e.household_id', 'in', ids)
      .where('e.occurred_on', '>=', from)
      .where('e.occurred_on', '<=', to)
      .where('e.kind', 'in', ['award', 'deduction'])
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('ledger_entries as r').select('r.id').whereRef('r.reverses_id', '=', 'e.id'))),
      )
      .groupBy('e.household_id')
      .execute()
    for (const r of rows) posted.set(r.household_id!, Number(r.n))
    if (opts.pendingExcept === undefined) continue
    const waiting = await trx
      .selectFrom('award_households as ah')
      .innerJoin('awards as a', 'a.id', 'ah.award_id')
      .select(['ah.household_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('a.village_id', '=', rule.villageId)
      .where('a.rule_id', '=', rule.id)
      .where('a.status', 'in', ['pending', 'publicized'])
      .where('a.id', '!=', opts.pendingExcept)
      .where('a.occurred_on', '>=', from)
      .where('a.occurred_on', '<=', to)
      .where('ah.excluded_reason', 'is', null)
      .where('ah.household_id', 'in', ids)
      .groupBy('ah.household_id')
      .execute()
    for (const r of waiting) pending.set(r.household_id, Number(r.n))
  }
  const over = householdIds.filter((id) => (posted.get(id) ?? 0) + (pending.get(id) ?? 0) + 1 > rule.limit!.count)
  if (over.length === 0) return []
  const names = new Map<string, { household_no: string; head_name: string }>()
  for (const ids of chunks(over)) {
    for (const h of await trx
      .selectFrom('households')
      .select(['id', 'household_no', 'head_name'])
      .where('id', 'in', ids)
      .execute())
      names.set(h.id, h)
  }
  return over.map((householdId) => ({
    householdId,
    householdNo: names.get(householdId)?.household_no ?? '',
    headName: names.get(householdId)?.head_name ?? '',
    count: posted.get(householdId) ?? 0,
    pending: pending.get(householdId) ?? 0,
    limit: rule.limit!.count,
    period: rule.limit!.period,
    from,
    to,
  }))
}

/**
 * RULE_LIMIT_EXCEEDED naming every household over the limit and why, in Chinese first (the English after it
 * for the English interface); nothing is written. The approver then decides: post the others, or reject.
 */
export async function assertWithinRuleLimit(
  trx: DB,
  rule: Rule,
  householdIds: string[],
  occurredOn: string,
  opts: { pendingExcept?: string } = {},
) {
  const over = await overRuleLimit(trx, rule, householdIds, occurredOn, opts)
  if (over.length === 0) return
  const shown = over.slice(0, 5).map(limitProblemText).join('；')
  throw new DomainError(
    'RULE_LIMIT_EXCEEDED',
    `规则“${rule.code} ${rule.name}”${PERIOD_ZH[rule.limit!.period]}最多 ${rule.limit!.count} 次，${over.length} 户会超过：${shown}${over.length > 5 ? ' 等' : ''} ` +
      `(rule ${rule.code} allows ${rule.limit!.count} per ${rule.limit!.period}: ${over.length} household(s) would exceed it)`,
    over,
  )
}
