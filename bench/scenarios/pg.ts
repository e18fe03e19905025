import { runLoad } from '../lib/load.js'
import type { BenchContext } from '../lib/scenario.js'
import { type RunningServer, startServer } from '../lib/server.js'
import { fmt } from '../lib/stats.js'

/*
 * `npm run bench -- --pg` (issues 15 and 20): PostgreSQL beside SQLite. Every database is filled through the HTTP
 * API of a real server (villages, staff, a roster import, an award, a product with stock), so the hash chains,
 * balances and stock are real. Sizes come from the command line (--pg-villages, --pg-households,
 * --pg-big-households) so a busy two-core machine can run them small.
 */

export interface PgBenchOptions {
  villages: number
  households: number
  /** The big village: the 10,000-household award and the large export. */
  bigHouseholds: number
}

const ADMIN_PASSWORD = 'bench-admin-password'

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
) {
  const h: Record<string, string> = { ...headers }
  if (token) h.authorization = `Bearer ${token}`
  let payload: string | undefined
  if (typeof body === 'string') payload = body
  else if (body !== undefined) {
    payload = JSON.stringify(body)
    h['content-type'] = 'application/json'
  }
  const res = await fetch(base + path, { method, headers: h, body: payload, signal: AbortSignal.timeout(300_000) })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`)
  return text ? JSON.parse(text) : null
}
const login = async (base: string, username: string, password: string) =>
  (await call(base, 'POST', '/api/auth/login', { username, password })).token as string

export interface BenchVillage {
  vid: string
  cashier: string
  clerk: string
  approver: string
  households: string[]
  /** A card code per household (the first 100): sales go by card, as at a counter (a sale by id needs a PIN). */
  cards: string[]
  productId: string
  ruleId: string
}

/** One village through the API: staff, `households` households with points, a product with stock. */
export async function seedVillage(base: string, admin: string, tag: string, households: number): Promise<BenchVillage> {
  const v = await call(base, 'POST', '/api/villages', { code: tag, name: `压测村${tag}`, noticeDays: 0 }, admin)
  const tokens: Record<string, string> = {}
  for (const [role, roles] of [
    ['clerk', ['clerk', 'cashier']],
    ['approver', ['approver']],
  ] as const) {
    await call(
      base,
      'POST',
      '/api/users',
      { username: `${role}-${tag}`, password: `pw-${role}-${tag}`, roles, villageId: v.id },
      admin,
    )
    tokens[role] = await login(base, `${role}-${tag}`, `pw-${role}-${tag}`)
  }
  const rows = Array.from({ length: households }, (_, i) => `${tag}-${String(i).padStart(6, '0')},户主${i},,`)
  await call(
    base,
    'POST',
    `/api/villages/${v.id}/households/import`,
    `householdNo,headName,phone,address\n${rows.join('\n')}\n`,
    tokens.clerk,
    { 'content-type': 'text/csv' },
  )
  const ids: string[] = []
  let cursor: string | null = null
  do {
    const page: { items: { id: string }[]; nextCursor: string | null } = await call(
      base,
      'GET',
      `/api/villages/${v.id}/households?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      undefined,
      tokens.clerk,
    )
    ids.push(...page.items.map((h) => h.id))
    cursor = page.nextCursor
  } while (cursor)
  const cards: string[] = []
  for (const hid of ids.slice(0, 100))
    cards.push((await call(base, 'POST', `/api/households/${hid}/cards`, {}, tokens.clerk)).code)
  const rule = await call(
    base,
    'POST',
    `/api/villages/${v.id}/rules`,
    { code: 'R1', name: '环境整治', category: '环境', points: 1000 },
    tokens.clerk,
  )
  await award(base, { vid: v.id, clerk: tokens.clerk!, approver: tokens.approver!, ruleId: rule.id }, ids)
  const p = await call(
    base,
    'POST',
    `/api/villages/${v.id}/products`,
    { sku: `${tag}-1`, name: '香皂', pointsPrice: 1 },
    tokens.clerk,
  )
  await call(
    base,
    'POST',
    `/api/villages/${v.id}/stock/receipts`,
    { donor: '爱心企业', items: [{ productId: p.id, quantity: 100_000 }] },
    tokens.clerk,
  )
  return {
    vid: v.id,
    cashier: tokens.clerk!,
    clerk: tokens.clerk!,
    approver: tokens.approver!,
    households: ids,
    cards,
    productId: p.id,
    ruleId: rule.id,
  }
}

/** An award of the village's rule to these households, approved: it posts (noticeDays 0). Returns the approve's ms. */
export async function award(
  base: string,
  v: Pick<BenchVillage, 'vid' | 'clerk' | 'approver' | 'ruleId'>,
  householdIds: string[],
): Promise<number> {
  const a = await call(
    base,
    'POST',
    `/api/villages/${v.vid}/awards`,
    { ruleId: v.ruleId, householdIds, occurredOn: new Date().toISOString().slice(0, 10) },
    v.clerk,
  )
  const t = performance.now()
  await call(base, 'POST', `/api/awards/${a.id}/approve`, {}, v.approver)
  return performance.now() - t
}

export async function seedMany(
  base: string,
  n: number,
  households: number,
  prefix: string,
  log: (s: string) => void,
): Promise<BenchVillage[]> {
  const admin = await login(base, 'admin', ADMIN_PASSWORD)
  const out: BenchVillage[] = []
  let next = 0
  const worker = async () => {
    while (next < n) {
      const i = next++
      out[i] = await seedVillage(base, admin, `${prefix}${String(i).padStart(3, '0')}`, households)
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
  log(`  seeded ${n} villages × ${households} households`)
  return out
}

let keySeq = 0
/** Redemptions over HTTP spread across the villages: every request another village, household and key. */
export async function redemptionsPerSecond(url: string, villages: BenchVillage[], seconds: number) {
  const run = `${Date.now().toString(36)}-${keySeq++}`
  return runLoad({
    url,
    method: 'POST',
    connections: 8,
    seconds,
    maxRequests: 1_000_000,
    request: (i) => {
      const v = villages[i % villages.length]!
      const card = v.cards[Math.floor(i / villages.length) % v.cards.length]!
      return {
        path: `/api/villages/${v.vid}/redemptions`,
        body: JSON.stringify({ cardCode: card, items: [{ productId: v.productId, quantity: 1 }] }),
        headers: { authorization: `Bearer ${v.cashier}`, 'idempotency-key': `b-${run}-${i}` },
      }
    },
  })
}

/** A counter selling one sale after another in village `v` until stop() resolves: each sale's latency (ms). */
export function counterLoop(base: string, v: BenchVillage, counters = 2) {
  const latencies: { at: number; ms: number; status: number }[] = []
  let stopped = false
  const one = async (c: number) => {
    for (let i = 0; !stopped; i++) {
      const t = performance.now()
      const res = await fetch(`${base}/api/villages/${v.vid}/redemptions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${v.cashier}`,
          'content-type': 'application/json',
          'idempotency-key': `c-${Date.now().toString(36)}-${c}-${i}-${Math.random()}`,
        },
        body: JSON.stringify({
          cardCode: v.cards[(c * 7 + i) % v.cards.length],
          items: [{ productId: v.productId, quantity: 1 }],
        }),
        signal: AbortSignal.timeout(60_000),
      })
      await res.arrayBuffer()
      latencies.push({ at: t, ms: performance.now() - t, status: res.status })
      await new Promise((r) => setTimeout(r, 20)) // a counter is a person: a sale, then the next villager
    }
  }
  const loops = Array.from({ length: counters }, (_, c) => one(c))
  return {
    latencies,
    stop: async () => {
      stopped = true
      await Promise.all(loops)
    },
  }
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}

/** The counter's p99 (ms) over a quiet window, then over a window while `work` runs; the sales in each. */
export async function counterDuring(base: string, v: BenchVillage, quietMs: number, work: () => Promise<unknown>) {
  const loop = counterLoop(base, v)
  await new Promise((r) => setTimeout(r, 300)) // warm
  const q0 = performance.now()
  await new Promise((r) => setTimeout(r, quietMs))
  const q1 = performance.now()
  await work()
  const w1 = performance.now()
  await loop.stop()
  const quiet = loop.latencies.filter((l) => l.at >= q0 && l.at < q1)
  const busy = loop.latencies.filter((l) => l.at + l.ms >= q1 && l.at < w1) // every sale that overlapped the work
  const bad = loop.latencies.filter((l) => l.status !== 201).length
  return {
    quietP99: percentile(
      quiet.map((l) => l.ms),
      99,
    ),
    quietN: quiet.length,
    busyP99: percentile(
      busy.map((l) => l.ms),
      99,
    ),
    busyMax: Math.max(...busy.map((l) => l.ms)),
    busyN: busy.length,
    workMs: w1 - q1,
    refused: bad,
  }
}

export const startOn = (db: string, env: Record<string, string> = {}): Promise<RunningServer> =>
  startServer(db, { env: { GONGYI_BACKUPS: 'off', GONGYI_REQUEST_LOG: 'off', ...env }, timeoutMs: 120_000 })

export const rowBase = (ctx: BenchContext) => ({
  rounds: '',
  notes: [] as string[],
  ratio: '',
  met: null as boolean | null,
  data: `${ctx.size}`,
})
export { fmt }
