import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DATA_DIR } from '../lib/datasets.js'
import { runLoad } from '../lib/load.js'
import { CARD_RESOLVE_LIMIT } from '../../server/http/rate-limit.js'
import { profileServer } from '../lib/profile.js'
import type { BenchContext, Row } from '../lib/scenario.js'
import { type RunningServer, startServer } from '../lib/server.js'
import { fmt, median } from '../lib/stats.js'
import type { Counter } from './counter.js'

/*
 * Card resolve: what the counter asks after every scan, POST /api/villages/:vid/cards/resolve {code}, against
 * a bare Hono endpoint answering the same JSON from memory (servers/bare-resolve.ts). Same client, same
 * connections, alternating rounds; requests per second counts 200 answers only.
 */

const CONNECTIONS = 4
/** Against the bare endpoint doing the same SQLite reads, and against the one answering from memory. */
const GOAL_DB = 0.7
const GOAL_MEMORY = 0.25
/** The most resolves a second the runner provides cashiers for (counter.ts): far above what two cores serve. */
export const MAX_PER_SECOND = 8000
/** The bare server needs no cashiers: its bound only keeps the run finite. */
const BARE_MAX_PER_SECOND = 100_000

/** Requests spread over the cashiers' tokens (none of them reaches the per-user limit); the bare server ignores them. */
const load = (
  url: string,
  path: string,
  tokens: string[],
  codes: string[],
  seconds: number,
  maxPerSecond = MAX_PER_SECOND,
) =>
  runLoad({
    url: `${url}${path}`,
    method: 'POST',
    connections: CONNECTIONS,
    seconds,
    maxRequests: maxPerSecond * seconds,
    request: (i) => ({
      body: JSON.stringify({ code: codes[i % codes.length] }),
      headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
    }),
  })

export async function cardResolveScenario(ctx: BenchContext, c: Counter, server: RunningServer): Promise<Row> {
  const path = `/api/villages/${c.village.id}/cards/resolve`
  const answers: Record<string, unknown> = {}
  for (const [i, code] of c.codes.entries()) {
    const token = c.cashierTokens[i % c.cashierTokens.length]
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    })
    if (res.status !== 200) throw new Error(`resolve: ${res.status} ${await res.text()}`)
    answers[code] = await res.json()
  }
  const file = join(DATA_DIR, 'bare-resolve.json')
  writeFileSync(file, JSON.stringify(answers))
  const bare = await startServer(null, {
    command: [process.execPath, '--import', 'tsx', 'bench/servers/bare-resolve.ts'],
    env: { BARE_RESPONSES: file },
  })
  const bareDb = await startServer(null, {
    command: [process.execPath, '--import', 'tsx', 'bench/servers/bare-resolve-db.ts'],
    env: { BARE_DB: c.file, BARE_CARD_KEY: Buffer.from(c.cardKey).toString('hex') },
  })
  const dbPath = `/villages/${c.village.id}/resolve`
  const real: number[] = []
  const base: number[] = []
  const baseDb: number[] = []
  const notes: string[] = []
  let failed = 0
  try {
    await load(server.url, path, c.cashierTokens, c.codes, 1)
    await load(bare.url, '/resolve', c.cashierTokens, c.codes, 1, BARE_MAX_PER_SECOND)
    await load(bareDb.url, dbPath, c.cashierTokens, c.codes, 1, BARE_MAX_PER_SECOND)
    for (let r = 0; r < ctx.rounds; r++) {
      const a = await load(server.url, path, c.cashierTokens, c.codes, ctx.seconds)
      const d = await load(bareDb.url, dbPath, c.cashierTokens, c.codes, ctx.seconds, BARE_MAX_PER_SECOND)
      const b = await load(bare.url, '/resolve', c.cashierTokens, c.codes, ctx.seconds, BARE_MAX_PER_SECOND)
      real.push(a.perSecond)
      baseDb.push(d.perSecond)
      base.push(b.perSecond)
      failed += a.failed + b.failed + d.failed
      ctx.log(
        `  card resolve round ${r + 1}: Gongyi ${fmt(a.perSecond)} /s (p99 ${a.p99} ms), bare Hono + SQLite ${fmt(d.perSecond)} /s, bare Hono from memory ${fmt(b.perSecond)} /s`,
      )
    }
  } finally {
    await bare.stop()
    await bareDb.stop()
  }
  const ratioDb = median(real) / median(baseDb)
  const ratio = median(real) / median(base)
  const met = ratioDb >= GOAL_DB && ratio >= GOAL_MEMORY
  if (failed) notes.push(`${failed} requests did not answer 200`)
  notes.push(
    `the endpoint is rate-limited per user (${CARD_RESOLVE_LIMIT.burst} at once, ${CARD_RESOLVE_LIMIT.perSecond}/s after), so the load is spread over ${c.cashierTokens.length} cashiers' tokens; the limiter stays in the measured path`,
  )
  if (!met) {
    notes.push(
      ...(await profileServer(`${ctx.profileDir}/card-resolve`, c.file, null, (url) =>
        load(url, path, c.cashierTokens, c.codes, ctx.seconds),
      )),
    )
  }
  return {
    scenario: 'card resolve (HTTP)',
    data: `${ctx.county.label}; village ${c.village.code}, ${c.codes.length} cards; ${CONNECTIONS} connections, ${ctx.rounds} × ${ctx.seconds} s`,
    figure: `${fmt(median(real))} resolves/s`,
    baseline: `bare Hono endpoint, same SQLite reads by prepared statements: ${fmt(median(baseDb))} /s; bare Hono, same JSON from memory: ${fmt(median(base))} /s`,
    ratio: `${ratioDb.toFixed(2)} / ${ratio.toFixed(2)}`,
    goal: `ratio ≥ ${GOAL_DB} (SQLite) and ≥ ${GOAL_MEMORY} (memory)`,
    met: met && failed === 0,
    rounds: `Gongyi ${real.map((x) => fmt(x)).join(', ')}; bare + SQLite ${baseDb.map((x) => fmt(x)).join(', ')}; bare from memory ${base.map((x) => fmt(x)).join(', ')}`,
    notes,
  }
}
