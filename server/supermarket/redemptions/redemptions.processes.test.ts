import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type TestContext, testContext, unique } from '../../../test/context.js'
import { queryOne } from '../../../test/db.js'
import { SYSTEM_ACTOR } from '../../core/actor.js'
import { verifyLedger } from '../../ledger/verify.js'
import type { WorkerOutcome, WorkerPlan } from '../../../test/support/redeem-worker.js'
import { fundedHousehold, movesSum, product, type Village } from '../../../test/support/supermarket.js'

/*
 * Two counters, two processes, one database (a SQLite file, or with GONGYI_TEST_PG one PostgreSQL database):
 * BEGIN IMMEDIATE and busy_timeout on SQLite, the per-village lock on PostgreSQL, must keep every household
 * from being overdrawn and every product's stock equal to its moves, with both processes selling at once.
 */

const WORKER = fileURLToPath(new URL('../../../test/support/redeem-worker.ts', import.meta.url))

let dir: string
let t: TestContext
let v: Village
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gongyi-two-counters-'))
  t = await testContext(join(dir, 'gongyi.db'))
  v = await t.village()
})
afterAll(async () => {
  await t?.close()
  rmSync(dir, { recursive: true, force: true })
})

interface WorkerReport {
  pid: number
  started: number
  finished: number
  outcomes: WorkerOutcome[]
}

function runWorker(plan: WorkerPlan, name: string): Promise<WorkerReport> {
  const planFile = join(dir, `${name}.json`)
  writeFileSync(planFile, JSON.stringify(plan))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, t.target, planFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!))
        : reject(new Error(`worker ${name} exited ${code}: ${err}`)),
    )
  })
}

test('two processes redeeming at once on one file never overdraw a household nor oversell a product', async () => {
  const cardOf = async (hid: string) =>
    (await t.api.post(`/api/households/${hid}/cards`, {}, v.tokens.clerk)).body.code as string
  const a = await fundedHousehold(t, v, 300) // 50 tries at 10 points: exactly 30 can pay
  const b = await fundedHousehold(t, v, 1000) // 40 tries at 1 point, but only 20 on the shelf
  const c = await fundedHousehold(t, v, 100) // 10 sales, each sent by both processes under one key
  const pen = await product(t, v, { name: '笔', pointsPrice: 10 }, 1000)
  const sweet = await product(t, v, { name: '糖', pointsPrice: 1 }, 20)
  const cardA = await cardOf(a.id)
  // By card: a sale without one needs a PIN since issue 13 (CARD_REQUIRED).
  const cardB = await cardOf(b.id)
  const cardC = await cardOf(c.id)
  const shared = Array.from({ length: 10 }, () => ({
    key: unique('shared'),
    body: { cardCode: cardC, items: [{ productId: pen.id, quantity: 1 }] },
  }))

  const planFor = (name: string): WorkerPlan => ({
    villageId: v.vid,
    cashierId: v.users.cashier!,
    startAt: Date.now() + 2500,
    sales: [
      ...Array.from({ length: 25 }, () => ({
        key: unique(name),
        body: { cardCode: cardA, items: [{ productId: pen.id, quantity: 1 }] },
      })),
      ...Array.from({ length: 20 }, () => ({
        key: unique(name),
        body: { cardCode: cardB, items: [{ productId: sweet.id, quantity: 1 }] },
      })),
      ...shared,
    ],
  })
  const plans = [planFor('one'), planFor('two')]
  const startAt = Math.max(...plans.map((p) => p.startAt))
  for (const p of plans) p.startAt = startAt
  const [one, two] = await Promise.all([runWorker(plans[0]!, 'one'), runWorker(plans[1]!, 'two')])

  // The processes really sold at the same time.
  expect(Math.max(one.started, two.started)).toBeLessThan(Math.min(one.finished, two.finished))
  const all = [...one.outcomes, ...two.outcomes]
  expect(
    all.filter((o) => o.status >= 500),
    'no sale may fail for want of the lock',
  ).toEqual([])

  const outcomesOf = (body: (k: string) => boolean) => all.filter((o) => body(o.key))
  const isA = (k: string) => plans.some((p) => p.sales.some((s) => s.key === k && s.body.cardCode === cardA))
  const isB = (k: string) => plans.some((p) => p.sales.some((s) => s.key === k && s.body.cardCode === cardB))
  const aSales = outcomesOf(isA)
  expect(aSales.filter((o) => o.status === 201)).toHaveLength(30)
  expect(aSales.filter((o) => o.status !== 201).every((o) => o.code === 'INSUFFICIENT_POINTS')).toBe(true)
  const bSales = outcomesOf(isB)
  expect(bSales.filter((o) => o.status === 201)).toHaveLength(20)
  expect(bSales.filter((o) => o.status !== 201).every((o) => o.code === 'OUT_OF_STOCK')).toBe(true)
  for (const { key } of shared) {
    const answers = all.filter((o) => o.key === key)
    expect(answers.map((o) => o.status)).toEqual([201, 201])
    expect(answers[0]!.id).toBe(answers[1]!.id)
  }

  const balanceOf = async (hid: string) => (await t.api.get(`/api/households/${hid}`, v.tokens.auditor)).body.balance
  expect(await balanceOf(a.id)).toBe(0)
  expect(await balanceOf(b.id)).toBe(980)
  expect(await balanceOf(c.id)).toBe(0)
  const stock = async (pid: string) => (await t.api.get(`/api/products/${pid}`, v.tokens.auditor)).body.stock
  expect(await stock(pen.id)).toBe(1000 - 30 - 10)
  expect(await stock(sweet.id)).toBe(0)
  expect(await movesSum(t, pen.id)).toBe(await stock(pen.id))
  expect(await movesSum(t, sweet.id)).toBe(0)
  const negative = (await queryOne<{ n: number }>(
    t.db,
    'select count(*) as n from ledger_entries where village_id = ? and balance_after < 0',
    v.vid,
  ))!
  expect(negative.n).toBe(0)
  expect(await verifyLedger(t.db, SYSTEM_ACTOR, v.vid)).toMatchObject({ ok: true })
  if (t.sqlite) expect(t.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
}, 120_000)
