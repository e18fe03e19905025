import type { Random } from './random.js'

/*
 * How a village running a points bank spends its year, as the rule catalogue (server/rules/starter-catalogue.ts)
 * is used in practice: inspection rounds where the committee walks the village and awards most households at
 * once (门前三包 every month, 垃圾分类 twice a month, the villagers' meeting), volunteer events for a group,
 * single deeds proposed one at a time, a few deductions, and the supermarket open three days a week.
 * Rates are per household per month.
 */

export interface Round {
  rule: string
  /** Days of the month it usually happens (each village shifts them by a day or two). */
  days: number[]
  /** Share of households awarded: [low, high]. */
  coverage: [number, number]
  /** Months of the year (1-12) it happens in; every month when absent. */
  months?: number[]
}

export const ROUNDS: readonly Round[] = [
  { rule: 'CIV-01', days: [5], coverage: [0.5, 0.75] },
  { rule: 'ENV-03', days: [8, 22], coverage: [0.45, 0.7] },
  { rule: 'SAF-01', days: [12], coverage: [0.25, 0.45], months: [5, 6, 7, 8] },
  { rule: 'ENV-04', days: [12], coverage: [0.15, 0.3], months: [3] },
  { rule: 'VOL-02', days: [15], coverage: [0.2, 0.4] },
  { rule: 'FAM-01', days: [20], coverage: [0.04, 0.08], months: [10] },
  { rule: 'ENV-01', days: [25], coverage: [0.75, 0.92] },
  { rule: 'ENV-02', days: [27], coverage: [0.08, 0.18] },
  { rule: 'CIV-03', days: [28], coverage: [0.01, 0.03], months: [8] },
  { rule: 'FAM-03', days: [28], coverage: [0.08, 0.15], months: [12] },
]

/**
 * Extra rounds for load only (the export benchmark needs a month of a million entries): rules without a
 * limit, over almost every household, marked as such in the award's note.
 */
export const LOAD_RULES = ['VOL-03', 'NBR-02', 'SAF-02', 'CIV-02'] as const
export const LOAD_NOTE = '压力测试轮次 (benchmark load round)'

/** Single deeds, proposed one household at a time, by how often each rule is used. */
export const SINGLES: readonly (readonly [string, number])[] = [
  ['VOL-01', 30],
  ['NBR-01', 25],
  ['FAM-02', 20],
  ['NBR-02', 5],
  ['NBR-03', 5],
  ['SAF-02', 5],
  ['VOL-04', 3],
  ['CIV-02', 3],
  ['VOL-03', 2],
  ['CIV-04', 0.5],
]
export const SINGLE_RATE = 0.12

export const DEDUCTIONS: readonly (readonly [string, number])[] = [
  ['DED-02', 45],
  ['DED-06', 30],
  ['DED-05', 15],
  ['DED-01', 5],
  ['DED-03', 3],
  ['DED-04', 2],
]
export const DEDUCTION_RATE = 0.008

/** Volunteer events (one award for the group that turned out) per village per month, and their size. */
export const EVENTS_PER_MONTH = 2
export const EVENT_SIZE: [number, number] = [5, 40]

export const REVERSAL_RATE = 0.003
export const REJECT_SHARE = 0.03
export const OBJECTION_SHARE = 0.05
export const VOID_SHARE = 0.01
export const CARD_REISSUE_RATE = 0.002
/** Default redemptions per household per month. */
export const REDEMPTION_RATE = 0.35
/** Days the supermarket opens: Tuesday, Thursday, Saturday (0 = Sunday). */
export const OPEN_WEEKDAYS = new Set([2, 4, 6])

export const REVERSAL_REASONS = ['重复录入', '评比结果复核更正', '户号录错，冲正后重新录入', '群众异议核实后撤销']
export const REJECT_REASONS = ['证明材料不足，请补充照片', '不符合本条规则的认定条件', '同一事项已申报过']
export const OBJECTIONS = ['该户当天不在村里，请核实', '门前仍有杂物堆放', '建议补充现场照片']
export const VOID_REASONS = ['村民改换其他商品', '收银录入数量有误']

/** A village's calendar for a month: on which day each round happens (shifted a little per village). */
export function roundDays(
  rng: Random,
  month: number,
  extraRounds: number,
  daysInMonth: number,
): { rule: string; day: number; coverage: number; load: boolean }[] {
  const out: { rule: string; day: number; coverage: number; load: boolean }[] = []
  for (const r of ROUNDS) {
    if (r.months && !r.months.includes(month)) continue
    for (const d of r.days) {
      out.push({
        rule: r.rule,
        day: clampDay(d + rng.int(-2, 2), daysInMonth),
        coverage: r.coverage[0] + rng.next() * (r.coverage[1] - r.coverage[0]),
        load: false,
      })
    }
  }
  for (let i = 0; i < extraRounds; i++) {
    out.push({
      rule: LOAD_RULES[i % LOAD_RULES.length]!,
      day: clampDay(1 + Math.floor(((i + 0.5) * daysInMonth) / extraRounds), daysInMonth),
      coverage: 0.93 + rng.next() * 0.05,
      load: true,
    })
  }
  return out
}

const clampDay = (d: number, max: number) => Math.min(max, Math.max(1, d))
