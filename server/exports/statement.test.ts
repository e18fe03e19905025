import { beforeAll, describe, expect, test } from 'vitest'
import { localMonth, previousMonth } from '../../shared/time.js'
import { type TestContext, testContext } from '../../test/context.js'
import { createRule, postAt, spec } from '../../test/support/exports-fixtures.js'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

const thisMonth = () => localMonth(new Date(), 'Asia/Shanghai')
const exportJson = async (vid: string, month: string, token: string) => {
  const res = await t.api.get(`/api/villages/${vid}/exports/monthly?month=${month}&format=json`, token)
  expect(res.status, res.text).toBe(200)
  return res.body
}
const rowOf = (body: any, householdId: string) => body.households.find((r: any) => r.householdId === householdId)
const figures = (r: any) => [r.opening, r.earned, r.deducted, r.redeemed, r.adjusted, r.closing]

describe('monthly statement', () => {
  test('January and February reconcile, February opens where January closed, this month closes at the live balance', async () => {
    const v = await t.village()
    const clerk = v.users.clerk!
    const good = await createRule(t, v.vid, v.tokens.clerk!, { code: 'G1', name: '清扫街道', points: 10 })
    const bad = await createRule(t, v.vid, v.tokens.clerk!, { code: 'B1', name: '乱倒垃圾', points: -4 })
    const a = await t.household(v.vid, v.tokens.clerk!, { headName: '张三' })
    const b = await t.household(v.vid, v.tokens.clerk!, { headName: '李四' })
    const jan = await postAt(t.db, v.vid, '2026-01-10T02:00:00Z', clerk, [
      spec.award(a.id, good),
      spec.award(b.id, good),
      spec.award(a.id, good),
    ])
    await postAt(t.db, v.vid, '2026-02-05T02:00:00Z', clerk, [
      spec.deduction(a.id, bad),
      spec.redemption(b.id, 6),
      spec.adjustment(a.id, 3),
      spec.reversal(a.id, jan[0]!.id, 10),
      spec.expiry(b.id, 1),
    ])
    const c = await t.household(v.vid, v.tokens.clerk!, { headName: '王五' })
    // This month, through the awards API as the committee does it.
    const proposal = await t.api.post(
      `/api/villages/${v.vid}/awards`,
      { ruleId: good.id, householdIds: [a.id], occurredOn: new Date().toISOString().slice(0, 10) },
      v.tokens.clerk,
    )
    expect(proposal.status, proposal.text).toBe(201)
    expect((await t.api.post(`/api/awards/${proposal.body.id}/approve`, {}, v.tokens.approver)).body.status).toBe(
      'posted',
    )

    const january = await exportJson(v.vid, '2026-01', v.tokens.auditor!)
    expect(figures(rowOf(january, a.id))).toEqual([0, 20, 0, 0, 0, 20])
    expect(figures(rowOf(january, b.id))).toEqual([0, 10, 0, 0, 0, 10])
    expect(rowOf(january, c.id), 'a household registered later is not on January’s statement').toBeUndefined()
    expect(figures(january.totals)).toEqual([0, 30, 0, 0, 0, 30])

    const february = await exportJson(v.vid, '2026-02', v.tokens.auditor!)
    // A: 20 − 4 deducted, +3 adjusted, −10 reversed → 9. B: 10 − 6 redeemed − 1 expired → 3.
    expect(figures(rowOf(february, a.id))).toEqual([20, 0, 4, 0, -7, 9])
    expect(figures(rowOf(february, b.id))).toEqual([10, 0, 0, 6, -1, 3])
    expect(figures(february.totals)).toEqual([30, 0, 4, 6, -8, 12])
    for (const row of february.households) expect(row.opening).toBe(rowOf(january, row.householdId).closing)

    const now = await exportJson(v.vid, thisMonth(), v.tokens.auditor!)
    expect(figures(rowOf(now, a.id))).toEqual([9, 10, 0, 0, 0, 19])
    expect(figures(rowOf(now, c.id)), 'a household with no entries still appears').toEqual([0, 0, 0, 0, 0, 0])
    for (const row of now.households) {
      const live = await t.api.get(`/api/households/${row.householdId}`, v.tokens.auditor)
      expect(row.closing).toBe(live.body.balance)
    }
    const previous = await exportJson(v.vid, previousMonth(thisMonth()), v.tokens.auditor!)
    for (const row of now.households) expect(row.opening).toBe(rowOf(previous, row.householdId)?.closing ?? 0)
  })

  test('an entry at 23:30 on the last day of a month belongs to that month in the village’s time zone', async () => {
    const rule = { code: 'G', name: '好事', points: 5 }
    const beijing = await t.village()
    const r1 = await createRule(t, beijing.vid, beijing.tokens.clerk!, rule)
    const h = await t.household(beijing.vid, beijing.tokens.clerk!)
    await postAt(t.db, beijing.vid, '2026-01-31T15:30:00Z', null, [spec.award(h.id, r1)]) // 1月31日 23:30 北京时间
    await postAt(t.db, beijing.vid, '2026-01-31T16:30:00Z', null, [spec.award(h.id, r1), spec.award(h.id, r1)]) // 2月1日 00:30, still 31 Jan in UTC
    expect(figures(rowOf(await exportJson(beijing.vid, '2026-01', beijing.tokens.auditor!), h.id))).toEqual([
      0, 5, 0, 0, 0, 5,
    ])
    expect(figures(rowOf(await exportJson(beijing.vid, '2026-02', beijing.tokens.auditor!), h.id))).toEqual([
      5, 10, 0, 0, 0, 15,
    ])

    // West of Greenwich the same wall-clock time is already the next month in UTC.
    const west = await t.village({ timezone: 'America/Los_Angeles' })
    const r2 = await createRule(t, west.vid, west.tokens.clerk!, rule)
    const w = await t.household(west.vid, west.tokens.clerk!)
    await postAt(t.db, west.vid, '2026-02-01T07:30:00Z', null, [spec.award(w.id, r2)]) // 31 Jan 23:30 in Los Angeles
    expect(figures(rowOf(await exportJson(west.vid, '2026-01', west.tokens.auditor!), w.id))).toEqual([
      0, 5, 0, 0, 0, 5,
    ])
    expect(figures(rowOf(await exportJson(west.vid, '2026-02', west.tokens.auditor!), w.id))).toEqual([
      5, 0, 0, 0, 0, 5,
    ])
  })

  test('each export names the chain head at the month’s end, which ledger/verify confirms', async () => {
    const v = await t.village()
    const rule = await createRule(t, v.vid, v.tokens.clerk!, { code: 'G', name: '好事', points: 2 })
    const h = await t.household(v.vid, v.tokens.clerk!)
    await postAt(t.db, v.vid, '2026-03-03T03:00:00Z', null, [spec.award(h.id, rule), spec.award(h.id, rule)])
    const afterMarch = (await t.api.get(`/api/villages/${v.vid}/ledger/verify`, v.tokens.auditor)).body
    await postAt(t.db, v.vid, '2026-04-03T03:00:00Z', null, [spec.award(h.id, rule)])
    const march = await exportJson(v.vid, '2026-03', v.tokens.auditor!)
    expect(march.chainHead).toBe(afterMarch.head)
    expect(march.chainSeq).toBe(afterMarch.entries)
    const verifyNow = (await t.api.get(`/api/villages/${v.vid}/ledger/verify`, v.tokens.auditor)).body
    expect(verifyNow.ok).toBe(true)
    expect((await exportJson(v.vid, thisMonth(), v.tokens.auditor!)).chainHead).toBe(verifyNow.head)
    expect(
      (await exportJson(v.vid, '2026-02', v.tokens.auditor!)).chainHead,
      'before any entry: the genesis hash',
    ).toBe('0'.repeat(64))
  })

  test('a ledger whose balances do not add up is refused, not printed', async () => {
    const v = await t.village()
    const rule = await createRule(t, v.vid, v.tokens.clerk!, { code: 'G', name: '好事', points: 3 })
    const h = await t.household(v.vid, v.tokens.clerk!)
    const [first] = await postAt(t.db, v.vid, '2026-05-02T03:00:00Z', null, [spec.award(h.id, rule)])
    // A row written behind the ledger's back (inserts are all the append-only guard allows) with a wrong balance.
    await t.db
      .insertInto('ledger_entries')
      .values({
        id: `forged-${first!.id}`,
        village_id: v.vid,
        seq: first!.seq + 1,
        at: '2026-05-03T03:00:00.000Z',
        kind: 'award',
        household_id: h.id,
        amount: 3,
        balance_after: 30,
        memo: 'forged',
        occurred_on: null,
        rule_id: rule.id,
        award_id: null,
        redemption_id: null,
        reverses_id: null,
        created_by: null,
        prev_hash: 'x',
        hash: 'y',
      })
      .execute()
    const res = await t.api.get(`/api/villages/${v.vid}/exports/monthly?month=2026-05&format=csv`, v.tokens.auditor)
    expect(res.status).toBe(500)
    expect(res.text).not.toContain('户号')
  })

  test('who may export: auditor, clerk, approver and admin; not the cashier, not another village', async () => {
    const v = await t.village()
    const other = await t.village()
    const path = `/api/villages/${v.vid}/exports/monthly?month=${thisMonth()}`
    for (const role of ['auditor', 'clerk', 'approver', 'admin'])
      expect((await t.api.get(path, v.tokens[role])).status, role).toBe(200)
    const cashier = await t.api.get(path, v.tokens.cashier)
    expect(cashier.status).toBe(403)
    expect(cashier.body.error.code).toBe('FORBIDDEN')
    expect((await t.api.get(path, other.tokens.auditor)).status).toBe(403)
    expect((await t.api.get(path)).status).toBe(401)
  })

  test('a malformed month or format is a 400', async () => {
    const v = await t.village()
    for (const q of [
      'month=2026-13',
      'month=soon',
      'month=',
      'format=json',
      `month=${thisMonth()}&format=pdf`,
      'month=2026-1',
    ]) {
      const res = await t.api.get(`/api/villages/${v.vid}/exports/monthly?${q}`, v.tokens.auditor)
      expect(res.status, q).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
    }
  })
})
