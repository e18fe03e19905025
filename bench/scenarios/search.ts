import SQLite from 'better-sqlite3'
import { BENCH_PASSWORD } from '../lib/credentials.js'
import { profileServer } from '../lib/profile.js'
import { Random } from '../../scripts/demo/random.js'
import type { BenchContext, Row } from '../lib/scenario.js'
import { fmt, median, percentile } from '../lib/stats.js'
import { type BenchVillage, staffName } from '../lib/village.js'

/*
 * Household search by pinyin initials, as a cashier finds a villager who forgot the card ("zjg" for 张建国):
 * GET /api/villages/:vid/households?q=<initials>, one request at a time from a loopback client, each timed on
 * its own, so p99 is the latency a cashier would see. Initials are those of the village's own people (heads
 * and members), so a query finds someone, as at the counter.
 */

const GOAL_MS = 20

/** Initials of the village's people, from their search keys (number, then name / full pinyin / initials per person). */
function initialsOf(file: string, villageId: string, n: number): string[] {
  const db = new SQLite(file, { readonly: true })
  const keys = db
    .prepare('select search_key from households where village_id = ? order by id')
    .pluck()
    .all(villageId) as string[]
  db.close()
  const rng = new Random('search')
  return Array.from({ length: n }, () => {
    const tokens = rng.pick(keys).split(' ')
    const people = Math.floor((tokens.length - 1) / 3)
    return tokens[3 + 3 * (rng.chance(0.6) ? 0 : rng.int(0, people - 1))]!
  })
}

async function timedSearches(
  url: string,
  village: BenchVillage,
  token: string,
  queries: string[],
  seconds: number,
  max: number,
) {
  const times: number[] = []
  let empty = 0
  let failed = 0
  const started = performance.now()
  for (let i = 0; i < max && performance.now() - started < seconds * 1000; i++) {
    const t0 = performance.now()
    const res = await fetch(
      `${url}/api/villages/${village.id}/households?q=${encodeURIComponent(queries[i % queries.length]!)}`,
      { headers: { authorization: `Bearer ${token}` } },
    )
    const body = (await res.json()) as { items?: unknown[] }
    times.push(performance.now() - t0)
    if (res.status !== 200) failed++
    else if (!body.items?.length) empty++
  }
  return { times, empty, failed }
}

export interface SearchTarget {
  file: string
  url: string
  token: string
  village: BenchVillage
  data: string
}

export async function searchScenario(ctx: BenchContext, t: SearchTarget): Promise<Row> {
  const queries = initialsOf(t.file, t.village.id, 500)
  await timedSearches(t.url, t.village, t.token, queries, 1, 200)
  const p99s: number[] = []
  const all: number[] = []
  const notes: string[] = []
  let empty = 0
  let failed = 0
  for (let r = 0; r < ctx.rounds; r++) {
    const res = await timedSearches(t.url, t.village, t.token, queries, ctx.seconds, 3000)
    p99s.push(percentile(res.times, 99))
    all.push(...res.times)
    empty += res.empty
    failed += res.failed
    ctx.log(
      `  search in ${t.village.code} (${t.village.households} households) round ${r + 1}: p50 ${fmt(percentile(res.times, 50), 1)} ms, p99 ${fmt(p99s.at(-1)!, 1)} ms, ${res.times.length} searches`,
    )
  }
  const p99 = median(p99s)
  notes.push(
    `${fmt(all.length)} searches: p50 ${fmt(percentile(all, 50), 1)} ms, max ${fmt(Math.max(...all), 1)} ms; ${empty} found nobody${failed ? `; ${failed} failed` : ''}`,
  )
  if (p99 >= GOAL_MS) {
    notes.push(
      ...(await profileServer(
        `${ctx.profileDir}/search-${t.village.code}`,
        t.file,
        { username: staffName(t.village, 'clerk'), password: BENCH_PASSWORD },
        (url, token) => timedSearches(url, t.village, token, queries, ctx.seconds, 3000),
      )),
    )
  }
  return {
    scenario: `household search by pinyin initials, village of ${fmt(t.village.households)} households`,
    data: `${t.data}; village ${t.village.code}; 1 connection, ${ctx.rounds} × ${ctx.seconds} s`,
    figure: `p99 ${fmt(p99, 1)} ms`,
    baseline: '—',
    ratio: '—',
    goal: `p99 < ${GOAL_MS} ms`,
    met: p99 < GOAL_MS && failed === 0,
    rounds: p99s.map((x) => `${fmt(x, 1)} ms`).join(', '),
    notes,
  }
}
