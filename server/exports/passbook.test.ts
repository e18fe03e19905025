import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../test/context.js'
import { createRule, postAt, spec, tableRows } from '../../test/support/exports-fixtures.js'

let t: TestContext
let v: Awaited<ReturnType<TestContext['village']>>
let h: any
const PHONE = '13812345678'

/** One household's 2026: an award in January, then in March an award, a deduction, a redemption and a reversal. */
beforeAll(async () => {
  t = await testContext()
  v = await t.village()
  const good = await createRule(t, v.vid, v.tokens.clerk!, { code: 'G7', name: '义务巡逻', points: 12 })
  const bad = await createRule(t, v.vid, v.tokens.clerk!, { code: 'B2', name: '焚烧秸秆', points: -5 })
  h = await t.household(v.vid, v.tokens.clerk!, { headName: '赵大娘', phone: PHONE })
  const other = await t.household(v.vid, v.tokens.clerk!, { headName: '钱二' })
  await postAt(t.db, v.vid, '2025-11-20T02:00:00Z', null, [spec.adjustment(h.id, 4)])
  await postAt(t.db, v.vid, '2026-01-08T02:00:00Z', null, [spec.award(h.id, good), spec.award(other.id, good)])
  const [wrong] = await postAt(t.db, v.vid, '2026-03-02T02:00:00Z', null, [spec.award(h.id, good)])
  await postAt(t.db, v.vid, '2026-03-09T02:00:00Z', null, [spec.deduction(h.id, bad), spec.redemption(h.id, 6)])
  await postAt(t.db, v.vid, '2026-03-31T15:30:00Z', null, [spec.reversal(h.id, wrong!.id, 12)]) // 23:30 on 31 March, Beijing
  await postAt(t.db, v.vid, '2026-04-02T02:00:00Z', null, [spec.award(h.id, good)])
})

async function passbook(q: string, token = v.tokens.cashier!) {
  const res = await t.api.get(`/api/households/${h.id}/passbook?${q}`, token)
  expect(res.status, res.text).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  return res.text
}

/** The summary table's figures: opening, earned, deducted, redeemed, adjusted, closing. */
const summary = (page: string) => tableRows(page).find((r) => r.length === 6 && r[0] !== '期初')

describe('household passbook', () => {
  test('a month: opening and closing balances, every entry with its rule, and the figures that join them', async () => {
    const page = await passbook('month=2026-03')
    expect(page).toContain('赵大娘')
    expect(page).toContain('2026年3月')
    const rows = tableRows(page)
    expect(rows).toContainEqual(['', '期初', '期初余额', '', '', '', '16'])
    expect(rows).toContainEqual(['2026-03-02', '奖励', 'G7 义务巡逻', 'G7 义务巡逻', '12', '', '28'])
    expect(rows).toContainEqual(['2026-03-09', '扣分', 'B2 焚烧秸秆', 'B2 焚烧秸秆', '', '5', '23'])
    expect(rows).toContainEqual(['2026-03-09', '兑换', '兑换', '', '', '6', '17'])
    expect(rows).toContainEqual(['2026-03-31', '冲正', '冲正：录入错误', '', '', '12', '5'])
    expect(rows).toContainEqual(['', '期末', '期末余额', '', '', '', '5'])
    expect(summary(page)).toEqual(['16', '12', '5', '6', '−12', '5'])
    expect(page).not.toContain(PHONE)
    expect(page).not.toContain('钱二')
  })

  test('a year: from the balance carried into January to the live balance', async () => {
    const page = await passbook('year=2026', v.tokens.auditor!)
    expect(page).toContain('2026年')
    expect(summary(page)).toEqual(['4', '36', '5', '6', '−12', '17'])
    const live = await t.api.get(`/api/households/${h.id}`, v.tokens.auditor)
    expect(live.body.balance).toBe(17)
    expect(tableRows(page).filter((r) => /^2026-/.test(r[0]!))).toHaveLength(6)
  })

  test('needs exactly one of month and year; other villages’ staff get 403', async () => {
    for (const q of ['', 'month=2026-03&year=2026', 'month=2026-3', 'year=26', 'year=soon']) {
      const res = await t.api.get(`/api/households/${h.id}/passbook?${q}`, v.tokens.clerk)
      expect(res.status, q).toBe(400)
    }
    const other = await t.village()
    expect((await t.api.get(`/api/households/${h.id}/passbook?month=2026-03`, other.tokens.clerk)).status).toBe(403)
    expect((await t.api.get(`/api/households/nope/passbook?month=2026-03`, v.tokens.clerk)).status).toBe(404)
  })
})
