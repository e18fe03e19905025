/*
 * Redemption throughput: the real endpoint (validation, auth, idempotency, PIN/suspension checks, ledger with
 * hash chain, stock moves) against a bare better-sqlite3 loop doing the same writes, one transaction per sale,
 * on the same database file with the same pragmas (WAL, synchronous=FULL: every commit is an fsync).
 * Many short rounds in one run, rotating the order; prints each mode's median per sale and its ratio to the
 * bare loop (the JSON line's `ratio` is the endpoint via app.request). The service alone is measured too, to
 * show how the endpoint's time splits between the service and the HTTP layer (auth, validation, audit).
 *
 *   npm run bench:redemption            (ROUNDS=25 SALES=40 by default)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import SQLite from 'better-sqlite3'
import { newId, nowIso } from '../db/ids.js'
import { withTransaction } from '../db/database.js'
import { createApp } from '../server/app.js'
import { AuditLog } from '../server/audit/audit.service.js'
import { loadSecrets } from '../server/auth/secrets.js'
import { appendEntries } from '../server/ledger/ledger.service.js'
import { entryHash } from '../server/ledger/hash-chain.js'
import { redeem } from '../server/supermarket/redemptions/redeem.service.js'
import { testContext, unique } from '../test/context.js'

const ROUNDS = Number(process.env.ROUNDS ?? 25)
const SALES = Number(process.env.SALES ?? 40)
const HOUSEHOLDS = 50

// On the project's disk (tmp/ is git-ignored), not a RAM-backed /tmp: fsync must cost what it costs.
mkdirSync(join(process.cwd(), 'tmp'), { recursive: true })
const dir = mkdtempSync(join(process.cwd(), 'tmp', 'bench-redemption-'))
const file = join(dir, 'bench.db')
const t = await testContext(file)
const v = await t.village()
const households: string[] = []
for (let i = 0; i < HOUSEHOLDS; i++) households.push((await t.household(v.vid, v.tokens.clerk!)).id)
await withTransaction(t.db, (trx) =>
  appendEntries(
    trx,
    v.vid,
    null,
    households.map((householdId) => ({
      kind: 'award' as const,
      householdId,
      amount: 10_000_000,
      counter: 'issuance' as const,
      memo: 'bench',
    })),
  ),
)
const product = (
  await t.api.post(
    `/api/villages/${v.vid}/products`,
    { sku: 'BENCH', name: '基准商品', pointsPrice: 3 },
    v.tokens.cashier,
  )
).body
await t.api.post(
  `/api/villages/${v.vid}/stock/adjustments`,
  { productId: product.id, delta: 100_000, reason: 'bench stock' },
  v.tokens.cashier,
)

let sale = 0
const nextBody = () => ({
  householdId: households[sale++ % HOUSEHOLDS]!,
  items: [{ productId: product.id, quantity: 1 }],
})

// The app as main.ts builds it (the test context's audit log commits after 1 ms; the server's batches 20 ms).
const secrets = await loadSecrets(t.db)
const audit = new AuditLog(t.db)
const app = createApp({ db: t.db, secrets, audit, version: 'bench' })

async function viaAppRequest(n: number) {
  for (let i = 0; i < n; i++) {
    const res = await app.request(`/api/villages/${v.vid}/redemptions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${v.tokens.cashier}`,
        'content-type': 'application/json',
        'idempotency-key': unique('b'),
      },
      body: JSON.stringify(nextBody()),
    })
    if (res.status !== 201) throw new Error(`endpoint: ${res.status} ${await res.text()}`)
    await res.arrayBuffer()
  }
}

// The service alone, without HTTP, auth and validation: shows where the endpoint's time goes.
const cashier = { id: v.users.cashier!, username: 'cashier', roles: ['cashier' as const], villageId: v.vid }
async function viaService(n: number) {
  for (let i = 0; i < n; i++) await redeem(t.db, cashier, v.vid, unique('s'), nextBody(), { cardKey: secrets.cardKey })
}

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
await new Promise((r) => server.once('listening', r))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

async function viaHttp(n: number) {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/api/villages/${v.vid}/redemptions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${v.tokens.cashier}`,
        'content-type': 'application/json',
        'idempotency-key': unique('h'),
      },
      body: JSON.stringify(nextBody()),
    })
    if (res.status !== 201) throw new Error(`http: ${res.status} ${await res.text()}`)
    await res.arrayBuffer()
  }
}

// The same rows the service writes, by hand: read balance, stock and chain head, then write the entry, its two
// postings, both balances, the redemption, its line, the stock move, the stock and the idempotency key.
const raw = new SQLite(file)
raw.pragma('journal_mode = WAL')
raw.pragma('synchronous = FULL')
raw.pragma('foreign_keys = ON')
raw.pragma('busy_timeout = 5000')
const q = {
  begin: raw.prepare('begin immediate'),
  commit: raw.prepare('commit'),
  balance: raw.prepare('select balance from accounts where id = ?').pluck(),
  product: raw.prepare('select stock, points_price from products where id = ? and village_id = ?'),
  head: raw.prepare('select seq, hash from ledger_entries where village_id = ? order by seq desc limit 1'),
  entry:
    raw.prepare(`insert into ledger_entries (id, village_id, seq, at, kind, household_id, amount, balance_after, memo, redemption_id, created_by, prev_hash, hash)
    values (@id, @village_id, @seq, @at, @kind, @household_id, @amount, @balance_after, @memo, @redemption_id, @created_by, @prev_hash, @hash)`),
  posting: raw.prepare('insert into ledger_postings (village_id, entry_id, account_id, amount) values (?, ?, ?, ?)'),
  move: raw.prepare('update accounts set balance = balance + ? where id = ?'),
  redemption:
    raw.prepare(`insert into redemptions (id, village_id, receipt_no, household_id, points_spent, balance_after, ledger_entry_id, at, cashier_id)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  line: raw.prepare(
    'insert into redemption_lines (redemption_id, product_id, quantity, unit_points, points) values (?, ?, ?, ?, ?)',
  ),
  stockMove: raw.prepare(
    `insert into stock_moves (village_id, product_id, kind, quantity, redemption_id, unit_points, at, created_by) values (?, ?, 'redemption', ?, ?, ?, ?, ?)`,
  ),
  stock: raw.prepare('update products set stock = stock - ? where id = ? and stock >= ?'),
  key: raw.prepare(
    'insert into idempotency_keys (village_id, key, request_hash, status, response, created_at) values (?, ?, ?, 201, ?, ?)',
  ),
}
let bareNo = 0

function bareSale() {
  const body = nextBody()
  q.begin.run()
  try {
    const balance = q.balance.get(body.householdId) as number
    const p = q.product.get(product.id, v.vid) as { stock: number; points_price: number }
    const points = p.points_price
    if (balance < points || p.stock < 1) throw new Error('bench ran dry')
    const head = (q.head.get(v.vid) as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: '0'.repeat(64) }
    const at = nowIso()
    const redemptionId = newId()
    const row = {
      id: newId(),
      village_id: v.vid,
      seq: head.seq + 1,
      at,
      kind: 'redemption' as const,
      household_id: body.householdId,
      amount: -points,
      balance_after: balance - points,
      memo: 'bench',
      occurred_on: null,
      rule_id: null,
      award_id: null,
      redemption_id: redemptionId,
      reverses_id: null,
      created_by: v.users.cashier!,
      prev_hash: head.hash,
      hash: '',
    }
    const supermarket = `${v.vid}:supermarket`
    row.hash = entryHash(row, [
      { account: body.householdId, amount: -points },
      { account: supermarket, amount: points },
    ])
    q.entry.run(row)
    q.posting.run(v.vid, row.id, body.householdId, -points)
    q.posting.run(v.vid, row.id, supermarket, points)
    q.move.run(-points, body.householdId)
    q.move.run(points, supermarket)
    q.redemption.run(
      redemptionId,
      v.vid,
      `BENCH-${bareNo++}`,
      body.householdId,
      points,
      balance - points,
      row.id,
      at,
      v.users.cashier!,
    )
    q.line.run(redemptionId, product.id, 1, points, points)
    q.stockMove.run(v.vid, product.id, -1, redemptionId, points, at, v.users.cashier!)
    q.stock.run(1, product.id, 1)
    q.key.run(v.vid, unique('r'), 'x'.repeat(64), JSON.stringify({ id: redemptionId }), at)
    q.commit.run()
  } catch (err) {
    raw.exec('rollback')
    throw err
  }
}

async function bare(n: number) {
  for (let i = 0; i < n; i++) bareSale()
}

type Mode = { name: string; run: (n: number) => Promise<void>; perSale: number[] }
const modes: Mode[] = [
  { name: 'bare better-sqlite3 loop', run: bare, perSale: [] },
  { name: 'redemption service call', run: viaService, perSale: [] },
  { name: 'endpoint via app.request', run: viaAppRequest, perSale: [] },
  { name: 'endpoint via HTTP loopback', run: viaHttp, perSale: [] },
]

for (const m of modes) await m.run(20) // warm-up: JIT, page cache, prepared statements
for (let round = 0; round < ROUNDS; round++) {
  // Short rounds in a rotating order: on a shared machine every mode meets the same disturbances.
  const order = modes.map((_, i) => modes[(i + round) % modes.length]!)
  for (const m of order) {
    const start = process.hrtime.bigint()
    await m.run(SALES)
    m.perSale.push(Number(process.hrtime.bigint() - start) / 1e3 / SALES)
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const bareMedian = median(modes[0]!.perSale)
console.log(
  `redemption benchmark: ${ROUNDS} rounds × ${SALES} sales, one transaction per sale, WAL + synchronous=FULL, ${file}`,
)
console.log('mode                          median µs/sale   sales/s   × bare   range of rounds (µs/sale)')
for (const m of modes) {
  const med = median(m.perSale)
  console.log(
    `${m.name.padEnd(30)}${med.toFixed(0).padStart(14)}${(1e6 / med).toFixed(0).padStart(10)}${(med / bareMedian).toFixed(2).padStart(9)}   ${Math.min(...m.perSale).toFixed(0)}–${Math.max(...m.perSale).toFixed(0)}`,
  )
}
console.log(
  JSON.stringify({
    bench: 'redemption',
    rounds: ROUNDS,
    sales: SALES,
    medianMicros: Object.fromEntries(modes.map((m) => [m.name, Math.round(median(m.perSale))])),
    ratio: Number((median(modes[2]!.perSale) / bareMedian).toFixed(2)),
  }),
)

server.close()
raw.close()
await audit.flush()
await t.audit.flush()
await t.close()
rmSync(dir, { recursive: true, force: true })
