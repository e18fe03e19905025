import { sql } from 'kysely'
import type { DB } from '../../db/database.js'
import { addDays, periodOf } from '../../shared/time.js'
import { approveAward, proposeAward, recordObjection, rejectAward } from '../../server/awards/awards.service.js'
import type { Secrets } from '../../server/auth/secrets.js'
import { signCardCode } from '../../server/cards/card-code.js'
import { issueCard } from '../../server/cards/cards.service.js'
import { DomainError } from '../../server/core/errors.js'
import { reverseEntry } from '../../server/ledger/corrections.js'
import { householdBalances } from '../../server/ledger/ledger.service.js'
import type { Rule } from '../../server/rules/rules.service.js'
import { receiveStock } from '../../server/supermarket/donations/receipts.service.js'
import { redeem } from '../../server/supermarket/redemptions/redeem.service.js'
import { voidRedemption } from '../../server/supermarket/redemptions/void.service.js'
import { DONORS } from './goods.js'
import {
  CARD_REISSUE_RATE,
  DEDUCTION_RATE,
  DEDUCTIONS,
  EVENT_SIZE,
  EVENTS_PER_MONTH,
  LOAD_NOTE,
  OBJECTION_SHARE,
  OBJECTIONS,
  OPEN_WEEKDAYS,
  REJECT_REASONS,
  REJECT_SHARE,
  REVERSAL_RATE,
  REVERSAL_REASONS,
  roundDays,
  SINGLE_RATE,
  SINGLES,
  VOID_REASONS,
  VOID_SHARE,
} from './plan.js'
import type { GenHousehold, GenVillage } from './setup.js'

/*
 * One village's days: what happens, at what time of day, done through the services. Each action runs in a
 * savepoint of the day's transaction, so a refusal by a service (a rule limit reached, points short) undoes
 * only that action, as the counter or the committee would see it refused, and is counted.
 */

export interface Day {
  date: string
  month: number
  dayOfMonth: number
  daysInMonth: number
  weekday: number
  /** The first day the simulation covers: no deed is dated before it. */
  firstDate: string
}

export interface DayEvent {
  minute: number
  run: (trx: DB) => Promise<void>
}

export interface Stats {
  awards: number
  approved: number
  rejected: number
  objections: number
  reversals: number
  redemptions: number
  voids: number
  receipts: number
  cardsReissued: number
  refused: Record<string, number>
}

export const emptyStats = (): Stats => ({
  awards: 0,
  approved: 0,
  rejected: 0,
  objections: 0,
  reversals: 0,
  redemptions: 0,
  voids: 0,
  receipts: 0,
  cardsReissued: 0,
  refused: {},
})

export interface LifeOptions {
  secrets: Secrets
  stats: Stats
  extraRounds: number
  redemptionRate: number
  pin: string
  /** Moves the simulated clock on by some minutes (a void a few minutes after the sale). */
  later: (minutes: number) => void
}

/** Runs fn in a savepoint: a DomainError rolls back fn's writes only and is counted; anything else is a bug. */
async function attempt<T>(trx: DB, stats: Stats, fn: () => Promise<T>): Promise<T | null> {
  await sql`savepoint gen_action`.execute(trx)
  try {
    const result = await fn()
    await sql`release gen_action`.execute(trx)
    return result
  } catch (err) {
    if (!(err instanceof DomainError)) throw err
    await sql`rollback to gen_action`.execute(trx)
    await sql`release gen_action`.execute(trx)
    stats.refused[err.code] = (stats.refused[err.code] ?? 0) + 1
    return null
  }
}

/** Mirrors the rule limits (per household, per period) so the generator proposes what the rules allow. */
class LimitTracker {
  private readonly seen = new Map<string, Map<string, { from: string; n: number }>>()

  allows(rule: Rule, householdId: string, date: string): boolean {
    if (!rule.limit) return true
    const from = periodOf(date, rule.limit.period).from
    const s = this.seen.get(rule.id)?.get(householdId)
    return !s || s.from !== from || s.n < rule.limit.count
  }

  add(rule: Rule, householdId: string, date: string) {
    if (!rule.limit) return
    const from = periodOf(date, rule.limit.period).from
    const byHousehold = this.seen.get(rule.id) ?? new Map<string, { from: string; n: number }>()
    this.seen.set(rule.id, byHousehold)
    const s = byHousehold.get(householdId)
    if (s && s.from === from) s.n++
    else byHousehold.set(householdId, { from, n: 1 })
  }
}

export class VillageLife {
  private readonly limits = new LimitTracker()
  private readonly codes = new Map<string, string>()
  private calendar: { month: number; rounds: ReturnType<typeof roundDays>; eventDays: number[] } | null = null
  /** Proposals waiting for the approver's next visit: decided the day after they were proposed. */
  private queue: { id: string; reject: boolean }[] = []

  constructor(
    private readonly v: GenVillage,
    private readonly o: LifeOptions,
  ) {}

  private get rng() {
    return this.v.rng
  }

  private rule(code: string): Rule {
    const r = this.v.rules.get(code)
    if (!r) throw new Error(`rule ${code} is not in the catalogue`)
    return r
  }

  /** Today's events for this village, each at a minute of the day. */
  plan(day: Day): DayEvent[] {
    if (this.calendar?.month !== day.month) {
      this.calendar = {
        month: day.month,
        rounds: roundDays(this.rng, day.month, this.o.extraRounds, day.daysInMonth),
        eventDays: Array.from({ length: EVENTS_PER_MONTH }, () => this.rng.int(1, day.daysInMonth)),
      }
    }
    const n = this.v.households.length
    const perDay = (rate: number) => this.rng.poisson((n * rate) / day.daysInMonth)
    const at = (from: number, to: number) => this.rng.int(from * 60, to * 60)
    const events: DayEvent[] = []
    const decisions = this.queue
    this.queue = []
    if (decisions.length) events.push({ minute: at(8, 9), run: (trx) => this.decide(trx, decisions) })
    if (day.weekday === 1) events.push({ minute: at(9, 10), run: (trx) => this.restock(trx) })
    for (const r of this.calendar.rounds.filter((r) => r.day === day.dayOfMonth)) {
      events.push({ minute: at(10, 12), run: (trx) => this.round(trx, day, r.rule, r.coverage, r.load) })
    }
    for (const d of this.calendar.eventDays.filter((d) => d === day.dayOfMonth)) {
      events.push({ minute: at(16, 18), run: (trx) => this.volunteerEvent(trx, day) })
    }
    for (let i = perDay(SINGLE_RATE); i > 0; i--)
      events.push({ minute: at(8, 18), run: (trx) => this.single(trx, day) })
    for (let i = perDay(DEDUCTION_RATE); i > 0; i--)
      events.push({ minute: at(8, 18), run: (trx) => this.deduction(trx, day) })
    for (let i = perDay(REVERSAL_RATE); i > 0; i--)
      events.push({ minute: at(14, 17), run: (trx) => this.reversal(trx) })
    for (let i = perDay(CARD_REISSUE_RATE); i > 0; i--)
      events.push({ minute: at(9, 11), run: (trx) => this.reissueCard(trx) })
    if (OPEN_WEEKDAYS.has(day.weekday)) {
      const mean = (n * this.o.redemptionRate) / ((day.daysInMonth * OPEN_WEEKDAYS.size) / 7)
      for (let i = this.rng.poisson(mean); i > 0; i--)
        events.push({ minute: at(8.5, 17.5), run: (trx) => this.redemption(trx) })
    }
    return events
  }

  private pickHousehold(): GenHousehold {
    return this.rng.pick(this.v.households)
  }

  private async balance(trx: DB, householdId: string): Promise<number> {
    return (await householdBalances(trx, [householdId])).get(householdId) ?? 0
  }

  /** Proposes; the approver decides at once (a committee meeting) or on their next visit. */
  private async propose(
    trx: DB,
    rule: Rule,
    householdIds: string[],
    occurredOn: string,
    opts: { note?: string; memberId?: string; decideNow: boolean },
  ) {
    const { stats } = this.o
    for (let i = 0; i < householdIds.length; i += 10_000) {
      const part = householdIds.slice(i, i + 10_000)
      const award = await attempt(trx, stats, () =>
        proposeAward(trx, this.v.staff.clerk, this.v.village.id, {
          ruleId: rule.id,
          householdIds: part,
          occurredOn,
          note: opts.note ?? null,
          memberId: opts.memberId ?? null,
        }),
      )
      if (!award) continue
      stats.awards++
      for (const h of part) this.limits.add(rule, h, occurredOn)
      if (!opts.decideNow) {
        this.queue.push({ id: award.id, reject: this.rng.chance(REJECT_SHARE) })
        continue
      }
      const approved = await attempt(trx, stats, () => approveAward(trx, this.v.staff.approver, award.id))
      if (!approved) continue
      stats.approved++
      if (approved.status === 'publicized' && this.rng.chance(OBJECTION_SHARE)) {
        await recordObjection(trx, this.v.staff.clerk, award.id, this.rng.pick(OBJECTIONS))
        stats.objections++
      }
    }
  }

  private async decide(trx: DB, decisions: { id: string; reject: boolean }[]) {
    const { stats } = this.o
    for (const d of decisions) {
      if (d.reject) {
        if (
          await attempt(trx, stats, () => rejectAward(trx, this.v.staff.approver, d.id, this.rng.pick(REJECT_REASONS)))
        )
          stats.rejected++
      } else if (await attempt(trx, stats, () => approveAward(trx, this.v.staff.approver, d.id))) {
        stats.approved++
      }
    }
  }

  private async round(trx: DB, day: Day, code: string, coverage: number, load: boolean) {
    const rule = this.rule(code)
    const ids = this.rng
      .share(this.v.households, coverage)
      .map((h) => h.id)
      .filter((id) => this.limits.allows(rule, id, day.date))
    if (ids.length)
      await this.propose(trx, rule, ids, day.date, {
        note: load ? LOAD_NOTE : `${day.month}月集中评议`,
        decideNow: true,
      })
  }

  private async volunteerEvent(trx: DB, day: Day) {
    const rule = this.rule('VOL-01')
    const size = Math.min(this.v.households.length, this.rng.int(...EVENT_SIZE))
    const ids = this.rng
      .sample(this.v.households, size)
      .map((h) => h.id)
      .filter((id) => this.limits.allows(rule, id, day.date))
    if (ids.length) await this.propose(trx, rule, ids, day.date, { note: '志愿服务活动', decideNow: false })
  }

  private deedDate(day: Day): string {
    const d = addDays(day.date, -this.rng.int(0, 3))
    return d < day.firstDate ? day.firstDate : d
  }

  private async single(trx: DB, day: Day) {
    const rule = this.rule(this.rng.weighted(SINGLES))
    const h = this.pickHousehold()
    const date = this.deedDate(day)
    if (!this.limits.allows(rule, h.id, date)) return
    const memberId = h.memberIds.length ? this.rng.pick(h.memberIds) : undefined
    await this.propose(trx, rule, [h.id], date, { memberId, decideNow: false })
  }

  /** Deductions only where the balance covers them: a village deducts from what a household has earned. */
  private async deduction(trx: DB, day: Day) {
    const rule = this.rule(this.rng.weighted(DEDUCTIONS))
    const h = this.pickHousehold()
    if ((await this.balance(trx, h.id)) < -rule.points) return
    await this.propose(trx, rule, [h.id], this.deedDate(day), { decideNow: false })
  }

  /** An approver corrects a recent award or deduction that turned out wrong. */
  private async reversal(trx: DB) {
    const recent = await trx
      .selectFrom('ledger_entries as e')
      .select(['e.id', 'e.household_id', 'e.amount'])
      .where('e.village_id', '=', this.v.village.id)
      .where('e.kind', 'in', ['award', 'deduction'])
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('ledger_entries as r').select('r.id').whereRef('r.reverses_id', '=', 'e.id'))),
      )
      .orderBy('e.seq', 'desc')
      .limit(100)
      .execute()
    if (!recent.length) return
    const e = this.rng.pick(recent)
    if (e.amount > 0 && (await this.balance(trx, e.household_id!)) < e.amount) return
    if (
      await attempt(trx, this.o.stats, () =>
        reverseEntry(trx, this.v.staff.approver, e.id, this.rng.pick(REVERSAL_REASONS)),
      )
    ) {
      this.o.stats.reversals++
    }
  }

  /** A villager lost the card: a new one is issued, the old one stops working. */
  private async reissueCard(trx: DB) {
    const h = this.pickHousehold()
    const card = await issueCard(trx, this.v.staff.clerk, h.id, this.o.secrets.cardKey)
    this.v.cards.set(h.id, card.id)
    this.o.stats.cardsReissued++
  }

  /** Donations come in on Mondays for whatever runs low. */
  private async restock(trx: DB) {
    const low = this.v.products.filter((p) => p.stock < p.target / 2)
    if (!low.length) return
    const donor = this.rng.pick(DONORS)
    const items = low.map((p) => ({
      productId: p.id,
      quantity: p.target - p.stock + this.rng.int(0, Math.ceil(p.target / 5)),
    }))
    await receiveStock(trx, this.v.staff.cashier, this.v.village.id, {
      donor: donor.donor,
      donorOrg: donor.donorOrg,
      note: '爱心物资捐赠',
      items,
    })
    for (const i of items) this.v.products.find((p) => p.id === i.productId)!.stock += i.quantity
    this.o.stats.receipts++
  }

  private async cardCode(householdId: string): Promise<string | null> {
    const cardId = this.v.cards.get(householdId)
    if (!cardId) return null
    let code = this.codes.get(cardId)
    if (!code) {
      code = await signCardCode(this.o.secrets.cardKey, cardId)
      this.codes.set(cardId, code)
    }
    return code
  }

  /** What a villager picks with the points they have: one to four kinds of goods, rarely all the balance. */
  private basket(balance: number): Map<string, number> {
    const lines = new Map<string, number>()
    let left = Math.floor(balance * (0.3 + 0.7 * this.rng.next()))
    for (let tries = 0; tries < 6 && lines.size < 4; tries++) {
      const affordable = this.v.products.filter((p) => p.price <= left && p.stock - (lines.get(p.id) ?? 0) > 0)
      if (!affordable.length) break
      const p = this.rng.weighted(affordable.map((a) => [a, a.popularity] as const))
      const qty = Math.min(
        this.rng.weighted([
          [1, 6],
          [2, 3],
          [3, 1],
        ] as const),
        Math.floor(left / p.price),
        p.stock - (lines.get(p.id) ?? 0),
      )
      lines.set(p.id, (lines.get(p.id) ?? 0) + qty)
      left -= qty * p.price
      if (this.rng.chance(0.45)) break
    }
    return lines
  }

  /** A villager at the counter: most show the card, some forgot it and are found by name. */
  private async redemption(trx: DB) {
    const h = this.pickHousehold()
    const lines = this.basket(await this.balance(trx, h.id))
    if (!lines.size) return
    const items = [...lines].map(([productId, quantity]) => ({ productId, quantity }))
    const code = this.rng.chance(0.85) ? await this.cardCode(h.id) : null
    const input = {
      ...(code ? { cardCode: code } : { householdId: h.id }),
      items,
      ...(h.hasPin ? { pin: this.o.pin } : {}),
    }
    const { stats, secrets } = this.o
    const outcome = await attempt(trx, stats, () =>
      redeem(trx, this.v.staff.cashier, this.v.village.id, this.rng.token(), input, { cardKey: secrets.cardKey }),
    )
    if (!outcome) return
    stats.redemptions++
    for (const i of items) this.v.products.find((p) => p.id === i.productId)!.stock -= i.quantity
    if (!this.rng.chance(VOID_SHARE)) return
    this.o.later(this.rng.int(2, 10))
    const voided = await attempt(trx, stats, () =>
      voidRedemption(trx, this.v.staff.cashier, outcome.body.id, this.rng.pick(VOID_REASONS)),
    )
    if (!voided) return
    stats.voids++
    for (const i of items) this.v.products.find((p) => p.id === i.productId)!.stock += i.quantity
  }
}
