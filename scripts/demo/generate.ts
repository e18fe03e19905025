import type { DB } from '../../db/database.js'
import { withTransaction } from '../../db/database.js'
import { addDays, localDate, zonedToUtc } from '../../shared/time.js'
import { bootstrapAdmin } from '../../server/auth/auth.service.js'
import { loadSecrets } from '../../server/auth/secrets.js'
import { postDueAwards } from '../../server/awards/posting.js'
import { installSimulatedClock, realNow } from './clock.js'
import { type Day, type DayEvent, emptyStats, type Stats, VillageLife } from './life.js'
import { villageName } from './names.js'
import { REDEMPTION_RATE } from './plan.js'
import { type Progress, silentProgress } from './progress.js'
import { Random } from './random.js'
import { type GenVillage, setUpVillage, type StaffRole } from './setup.js'

/*
 * The generator shared by `npm run demo` and `npm run bench:data`: villages with their committees, rosters,
 * cards, rule catalogue and supermarket, then every day of the chosen months, written through the services so
 * the hash chains, balances and stock are the real thing.
 *
 * Posting times: the services stamp entries with the current time, so the generator runs the days under a
 * simulated clock (clock.ts) that starts at the first simulated morning and only moves forward. Entries of
 * March are posted in March, which is what the monthly export and the dashboard read.
 */

export const TIMEZONE = 'Asia/Shanghai'

export interface GenerateOptions {
  seed: string | number
  villages: number
  /** Households in all villages together. */
  households: number
  /** Whole calendar months before the current one. */
  months: number
  /** Also the current month, up to yesterday. */
  thisMonth?: boolean
  /** Village codes are the prefix and a number (BX001); or give the codes. */
  codePrefix?: string
  codes?: string[]
  /** A village's name, when not generated. */
  names?: string[]
  /** Days on the public notice board: one number for all, or 'mixed' (a quarter of villages use 3). */
  noticeDays?: number | 'mixed'
  username?: (villageCode: string, role: StaffRole) => string
  staffPassword: string
  /** Creates `admin` with this password when the database has no admin yet. */
  adminPassword?: string
  cards?: 'service' | 'rows'
  pinHouseholds?: number
  pin?: string
  /** Extra bulk rounds per month over nearly every household: load for the export benchmark. */
  extraRounds?: number
  /** Redemptions per household per month. */
  redemptionRate?: number
  /** The simulation ends before this instant (default: now). */
  end?: Date
  progress?: (label: string, total: number) => Progress
}

export interface GeneratedVillage {
  id: string
  code: string
  name: string
  households: number
  usernames: Record<StaffRole, string>
}

export interface GenerateResult {
  villages: GeneratedVillage[]
  firstDay: string
  lastDay: string
  stats: Stats
  counts: {
    households: number
    members: number
    entries: number
    awards: number
    redemptions: number
    stockReceipts: number
    cards: number
  }
  seconds: number
}

const defaultUsername = (code: string, role: StaffRole) => `${code.toLowerCase()}-${role}`

/** The days simulated: whole months before the current one, and the current month up to yesterday if asked. */
export function simulationDays(end: Date, months: number, thisMonth: boolean): Day[] {
  const today = localDate(end, TIMEZONE)
  const monthStart = `${today.slice(0, 7)}-01`
  let first = monthStart
  for (let i = 0; i < months; i++) first = `${addDays(first, -1).slice(0, 7)}-01`
  const last = thisMonth ? addDays(today, -1) : addDays(monthStart, -1)
  const days: Day[] = []
  for (let d = first; d <= last; d = addDays(d, 1)) {
    const [y, m] = d.split('-').map(Number) as [number, number]
    days.push({
      date: d,
      month: m,
      dayOfMonth: Number(d.slice(8)),
      daysInMonth: new Date(Date.UTC(y, m, 0)).getUTCDate(),
      weekday: new Date(`${d}T00:00:00Z`).getUTCDay(),
      firstDate: first,
    })
  }
  return days
}

/** Local midnight of a date in the villages' zone, as an instant (Intl is slow: once per day, not per event). */
function midnightOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return zonedToUtc(y, m, d, TIMEZONE).getTime()
}

/** Households per village: villages differ in size (about half to one and a half times the mean). */
export function splitHouseholds(rng: Random, total: number, villages: number): number[] {
  const weights = Array.from({ length: villages }, () => 0.5 + rng.next())
  const sum = weights.reduce((s, w) => s + w, 0)
  const sizes = weights.map((w) => Math.max(1, Math.floor((total * w) / sum)))
  for (let i = 0, left = total - sizes.reduce((s, n) => s + n, 0); left > 0; i = (i + 1) % villages, left--) sizes[i]!++
  return sizes
}

function uniqueNames(rng: Random, n: number): string[] {
  const seen = new Set<string>()
  while (seen.size < n) {
    const name = villageName(rng)
    if (!seen.has(name) || seen.size > 600) seen.add(seen.has(name) ? `${name.slice(0, -1)}${seen.size}村` : name)
  }
  return [...seen]
}

async function setUpVillages(
  db: DB,
  o: GenerateOptions,
  rng: Random,
  secrets: Awaited<ReturnType<typeof loadSecrets>>,
): Promise<GenVillage[]> {
  const sizes = splitHouseholds(rng, o.households, o.villages)
  const names = o.names ?? uniqueNames(rng, o.villages)
  const username = o.username ?? defaultUsername
  const bar = (o.progress ?? silentProgress)('村庄与农户', o.households)
  let done = 0
  const villages: GenVillage[] = []
  for (let i = 0; i < o.villages; i++) {
    const code = o.codes?.[i] ?? `${o.codePrefix ?? 'V'}${String(i + 1).padStart(3, '0')}`
    const noticeDays = o.noticeDays === 'mixed' ? (rng.chance(0.25) ? 3 : 0) : (o.noticeDays ?? 0)
    villages.push(
      await setUpVillage(
        db,
        new Random(`${o.seed}/${i}`),
        {
          index: i,
          code,
          name: names[i]!,
          households: sizes[i]!,
          noticeDays,
          username: (role) => username(code, role),
          password: o.staffPassword,
          pinHouseholds: o.pinHouseholds ?? 0,
          pin: o.pin ?? '1234',
          cards: o.cards ?? 'rows',
          allGoods: o.villages === 1,
          redemptionRate: o.redemptionRate ?? REDEMPTION_RATE,
        },
        secrets,
        () => bar.update(++done, code),
      ),
    )
  }
  bar.done(`${o.villages} 个村 · ${o.households} 户`)
  return villages
}

/** Entries so far, cheaply: every entry has two postings, whose ids count up from 1. */
async function entryCount(db: DB): Promise<number> {
  const row = await db
    .selectFrom('ledger_postings')
    .select((eb) => eb.fn.max('id').as('n'))
    .executeTakeFirst()
  return Math.round(Number(row?.n ?? 0) / 2)
}

/** Generates villages and their months of activity into a migrated database. */
export async function generate(db: DB, o: GenerateOptions): Promise<GenerateResult> {
  const started = realNow()
  const end = o.end ?? new Date()
  const days = simulationDays(end, o.months, o.thisMonth ?? false)
  if (days.length === 0) throw new Error('nothing to simulate: give months ≥ 1 or thisMonth after the 1st')
  const secrets = await loadSecrets(db)
  if (o.adminPassword) await bootstrapAdmin(db, o.adminPassword)
  const rng = new Random(o.seed)
  const stats = emptyStats()
  const clock = installSimulatedClock(midnightOf(days[0]!.date) + 8 * 3_600_000)
  let villages: GenVillage[]
  try {
    villages = await setUpVillages(db, o, rng, secrets)
    const later = (minutes: number) => clock.travelTo(clock.now() + minutes * 60_000)
    const lives = villages.map(
      (v) =>
        new VillageLife(v, {
          secrets,
          stats,
          extraRounds: o.extraRounds ?? 0,
          redemptionRate: o.redemptionRate ?? REDEMPTION_RATE,
          pin: o.pin ?? '1234',
          later,
        }),
    )
    const anyNotice = villages.some((v) => v.village.noticeDays > 0)
    const bar = (o.progress ?? silentProgress)('逐日活动', days.length)
    for (const [i, day] of days.entries()) {
      const events: DayEvent[] = anyNotice ? [{ minute: 7 * 60, run: (trx) => postDueAwards(trx) }] : []
      for (const life of lives) events.push(...life.plan(day))
      events.sort((a, b) => a.minute - b.minute)
      const midnight = midnightOf(day.date)
      await withTransaction(db, async (trx) => {
        for (const e of events) {
          clock.travelTo(midnight + e.minute * 60_000)
          await e.run(trx)
        }
      })
      bar.update(i + 1, `${day.date} · ${(await entryCount(db)).toLocaleString('en')} 笔`)
    }
    // Back to the present: awards whose notice ended since the last simulated day post now, as at a restart.
    clock.travelTo(end.getTime())
    if (anyNotice) await postDueAwards(db)
    bar.done(`${days[0]!.date} … ${days[days.length - 1]!.date}`)
  } finally {
    clock.uninstall()
  }
  return {
    villages: villages.map((v) => ({
      id: v.village.id,
      code: v.village.code,
      name: v.village.name,
      households: v.households.length,
      usernames: Object.fromEntries(
        (['clerk', 'approver', 'cashier', 'auditor'] as const).map((r) => [
          r,
          (o.username ?? defaultUsername)(v.village.code, r),
        ]),
      ) as Record<StaffRole, string>,
    })),
    firstDay: days[0]!.date,
    lastDay: days[days.length - 1]!.date,
    stats,
    counts: await countRows(
      db,
      villages.map((v) => v.village.id),
    ),
    seconds: (realNow() - started) / 1000,
  }
}

async function countRows(db: DB, villageIds: string[]): Promise<GenerateResult['counts']> {
  const count = async (
    table:
      | 'households'
      | 'household_members'
      | 'ledger_entries'
      | 'awards'
      | 'redemptions'
      | 'stock_receipts'
      | 'cards',
  ) => {
    let n = 0
    for (let i = 0; i < villageIds.length; i += 400) {
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('village_id', 'in', villageIds.slice(i, i + 400))
        .executeTakeFirstOrThrow()
      n += Number(row.n)
    }
    return n
  }
  return {
    households: await count('households'),
    members: await count('household_members'),
    entries: await count('ledger_entries'),
    awards: await count('awards'),
    redemptions: await count('redemptions'),
    stockReceipts: await count('stock_receipts'),
    cards: await count('cards'),
  }
}
