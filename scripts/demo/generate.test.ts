import { afterEach, describe, expect, it } from 'vitest'
import { migrateToLatest, type OpenedDatabase } from '../../db/database.js'
import { SYSTEM_ACTOR } from '../../server/core/actor.js'
import { verifyLedger } from '../../server/ledger/verify.js'
import { openTestDatabase } from '../../test/db.js'
import { generate, type GenerateOptions } from './generate.js'

const opened: OpenedDatabase[] = []
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close()
})

async function generated(overrides: Partial<GenerateOptions> = {}) {
  const o = await openTestDatabase()
  opened.push(o)
  await migrateToLatest(o.db)
  const result = await generate(o.db, {
    seed: 'test',
    villages: 2,
    households: 60,
    months: 2,
    staffPassword: 'password-test',
    noticeDays: 'mixed',
    end: new Date('2026-03-10T04:00:00Z'),
    ...overrides,
  })
  return { ...o, result }
}

describe('the demo and benchmark data generator', () => {
  it('writes villages whose ledgers verify, with every balance equal to its postings', async () => {
    const { db, result } = await generated()
    expect(result.villages.map((v) => v.households).reduce((s, n) => s + n, 0)).toBe(60)
    for (const v of result.villages) {
      const verified = await verifyLedger(db, SYSTEM_ACTOR, v.id)
      expect(verified.firstBad).toBeUndefined()
      expect(verified.ok).toBe(true)
      expect(verified.entries).toBeGreaterThan(100)
    }
    // Points only move between accounts: each village's accounts sum to zero.
    const sums = await db
      .selectFrom('accounts')
      .select(['village_id', (eb) => eb.fn.sum<number>('balance').as('total')])
      .groupBy('village_id')
      .execute()
    expect(sums.map((s) => Number(s.total))).toEqual([0, 0])
  })

  it('does what a village does: awards, deductions, reversals, donations and redemptions, with stock kept', async () => {
    const { db, result } = await generated()
    const kinds = await db
      .selectFrom('ledger_entries')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute()
    const n = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]))
    expect(n.award).toBeGreaterThan(200)
    expect(n.redemption).toBeGreaterThan(10)
    expect(result.counts.stockReceipts).toBeGreaterThanOrEqual(2)
    expect(result.counts.members).toBeGreaterThan(result.counts.households)
    const products = await db
      .selectFrom('products as p')
      .leftJoin('stock_moves as m', 'm.product_id', 'p.id')
      .select(['p.stock', (eb) => eb.fn.sum<number>('m.quantity').as('moved')])
      .groupBy('p.id')
      .execute()
    for (const p of products) expect(p.stock).toBe(Number(p.moved))
    const negative = await db
      .selectFrom('accounts')
      .select('id')
      .where('kind', '=', 'household')
      .where('balance', '<', 0)
      .execute()
    expect(negative).toEqual([])
  })

  it('posts each month in that month, in chain order', async () => {
    const { db } = await generated()
    const months = await db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn('substr', ['at', eb.val(1), eb.val(7)]).as('m'))
      .distinct()
      .execute()
    expect(months.map((m) => m.m).sort()).toEqual(['2026-01', '2026-02', '2026-03'].slice(0, months.length))
    expect(months.length).toBeGreaterThanOrEqual(2)
    const rows = await db
      .selectFrom('ledger_entries')
      .select(['village_id', 'seq', 'at'])
      .orderBy('village_id')
      .orderBy('seq')
      .execute()
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]!.village_id === rows[i - 1]!.village_id) expect(rows[i]!.at >= rows[i - 1]!.at).toBe(true)
    }
    // The clock is real again afterwards.
    expect(Math.abs(Date.now() - new Date().getTime())).toBeLessThan(1000)
    expect(new Date().getFullYear()).toBeGreaterThanOrEqual(2026)
  })

  it('gives the same villages and households for the same seed, with Chinese names', async () => {
    const a = await generated()
    const b = await generated()
    const names = (db: typeof a.db) =>
      db
        .selectFrom('households')
        .select(['household_no', 'head_name'])
        .orderBy('village_id')
        .orderBy('household_no')
        .execute()
    const na = await names(a.db)
    expect(await names(b.db)).toEqual(na)
    expect(a.result.villages.map((v) => v.name)).toEqual(b.result.villages.map((v) => v.name))
    for (const h of na) expect(h.head_name).toMatch(/^[\u4e00-\u9fff]{2,4}$/)
    expect(a.result.counts.entries).toBe(b.result.counts.entries)
  })
})
