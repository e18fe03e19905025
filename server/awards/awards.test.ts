import { beforeAll, describe, expect, test } from 'vitest'
import { localDate } from '../../shared/time.js'
import { type TestContext, testContext, unique } from '../../test/context.js'
import { postDueAwards } from './posting.js'

let t: TestContext
let v: Awaited<ReturnType<TestContext['village']>>
const today = () => localDate(new Date(), 'Asia/Shanghai')

beforeAll(async () => {
  t = await testContext()
  v = await t.village()
})

async function rule(village: typeof v, fields: Record<string, unknown> = {}) {
  const res = await t.api.post(
    `/api/villages/${village.vid}/rules`,
    { code: unique('R'), name: '志愿服务', category: '志愿服务', points: 10, ...fields },
    village.tokens.clerk,
  )
  expect(res.status).toBe(201)
  return res.body
}

async function propose(village: typeof v, ruleId: string, householdIds: string[], occurredOn = today()) {
  return t.api.post(`/api/villages/${village.vid}/awards`, { ruleId, householdIds, occurredOn }, village.tokens.clerk)
}

const balance = async (id: string) => (await t.api.get(`/api/households/${id}`, v.tokens.clerk)).body.balance

describe('rules', () => {
  test('points must be a non-zero integer; points never change in place', async () => {
    for (const points of [0, 1.5, '10']) {
      const res = await t.api.post(
        `/api/villages/${v.vid}/rules`,
        { code: unique('R'), name: 'x', category: 'x', points },
        v.tokens.clerk,
      )
      expect(res.status).toBe(400)
    }
    const r = await rule(v)
    const change = await t.api.patch(`/api/rules/${r.id}`, { points: 99 }, v.tokens.clerk)
    expect(change.status).toBe(400)
    const off = await t.api.patch(`/api/rules/${r.id}`, { active: false }, v.tokens.clerk)
    expect(off.body.active).toBe(false)
  })

  test('a code is unique among active rules; a new version may reuse it after deactivation', async () => {
    const r = await rule(v, { code: 'SAME-1' })
    const dup = await t.api.post(
      `/api/villages/${v.vid}/rules`,
      { code: 'SAME-1', name: 'x', category: 'x', points: 5 },
      v.tokens.clerk,
    )
    expect(dup.status).toBe(409)
    await t.api.patch(`/api/rules/${r.id}`, { active: false }, v.tokens.clerk)
    const v2 = await t.api.post(
      `/api/villages/${v.vid}/rules`,
      { code: 'SAME-1', name: 'x', category: 'x', points: 5 },
      v.tokens.clerk,
    )
    expect(v2.status).toBe(201)
  })

  test('the starter catalogue loads once, with deductions among its rules', async () => {
    const w = await t.village()
    const first = await t.api.post(`/api/villages/${w.vid}/rules/starter`, {}, w.tokens.clerk)
    expect(first.body.created).toBeGreaterThanOrEqual(25)
    expect(first.body.rules.some((r: any) => r.points < 0)).toBe(true)
    const again = await t.api.post(`/api/villages/${w.vid}/rules/starter`, {}, w.tokens.clerk)
    expect(again.body.created).toBe(0)
  })

  test('an inactive rule cannot be proposed', async () => {
    const r = await rule(v)
    await t.api.patch(`/api/rules/${r.id}`, { active: false }, v.tokens.clerk)
    const h = await t.household(v.vid, v.tokens.clerk!)
    expect((await propose(v, r.id, [h.id])).status).toBe(400)
  })
})

describe('awards', () => {
  test('deed date in the future is refused; unknown or foreign households are refused', async () => {
    const r = await rule(v)
    const h = await t.household(v.vid, v.tokens.clerk!)
    expect((await propose(v, r.id, [h.id], '2999-01-01')).status).toBe(400)
    const w = await t.village()
    const foreign = await t.household(w.vid, w.tokens.clerk!)
    const res = await propose(v, r.id, [h.id, foreign.id])
    expect(res.status).toBe(400)
    expect(await balance(h.id)).toBe(0)
  })

  test('reject needs a reason, happens once, and posts nothing', async () => {
    const r = await rule(v)
    const h = await t.household(v.vid, v.tokens.clerk!)
    const p = await propose(v, r.id, [h.id])
    expect((await t.api.post(`/api/awards/${p.body.id}/reject`, {}, v.tokens.approver)).status).toBe(400)
    const rej = await t.api.post(`/api/awards/${p.body.id}/reject`, { reason: '证据不足' }, v.tokens.approver)
    expect(rej.body.status).toBe('rejected')
    expect((await t.api.post(`/api/awards/${p.body.id}/approve`, {}, v.tokens.approver)).status).toBe(409)
    expect(await balance(h.id)).toBe(0)
  })

  test('a cashier or clerk cannot approve; an auditor cannot propose', async () => {
    const r = await rule(v)
    const h = await t.household(v.vid, v.tokens.clerk!)
    const p = await propose(v, r.id, [h.id])
    expect((await t.api.post(`/api/awards/${p.body.id}/approve`, {}, v.tokens.cashier)).status).toBe(403)
    const byAuditor = await t.api.post(
      `/api/villages/${v.vid}/awards`,
      { ruleId: r.id, householdIds: [h.id], occurredOn: today() },
      v.tokens.auditor,
    )
    expect(byAuditor.status).toBe(403)
  })

  test('two approvals required: the same approver twice is refused, a second approver posts', async () => {
    const w = await t.village({ requiredApprovals: 2 })
    const r = await rule(w)
    const h = await t.household(w.vid, w.tokens.clerk!)
    const p = await propose(w, r.id, [h.id])
    const first = await t.api.post(`/api/awards/${p.body.id}/approve`, {}, w.tokens.approver)
    expect(first.body).toMatchObject({ status: 'pending', approvals: 1, requiredApprovals: 2 })
    expect((await t.api.post(`/api/awards/${p.body.id}/approve`, {}, w.tokens.approver)).status).toBe(409)
    const second = await t.api.post(`/api/awards/${p.body.id}/approve`, {}, w.tokens.approver2)
    expect(second.body.status).toBe('posted')
    expect((await t.api.get(`/api/households/${h.id}`, w.tokens.clerk)).body.balance).toBe(10)
  })

  test('public notice: publicized until noticeUntil, objections recorded, posts when due, withdrawal never posts', async () => {
    const w = await t.village({ noticeDays: 3 })
    const r = await rule(w, { points: 8 })
    const [a, b] = [await t.household(w.vid, w.tokens.clerk!), await t.household(w.vid, w.tokens.clerk!)]
    const p1 = await propose(w, r.id, [a.id])
    const p2 = await propose(w, r.id, [b.id])
    const ap = await t.api.post(`/api/awards/${p1.body.id}/approve`, {}, w.tokens.approver)
    expect(ap.body.status).toBe('publicized')
    const until = new Date(ap.body.noticeUntil).getTime()
    expect(until - Date.now()).toBeGreaterThan(3 * 86400_000 - 60_000)
    await t.api.post(`/api/awards/${p2.body.id}/approve`, {}, w.tokens.approver)
    const obj = await t.api.post(`/api/awards/${p2.body.id}/objections`, { text: '他家那天不在村里' }, w.tokens.cashier)
    expect(obj.status).toBe(201)
    const notices = await t.api.get(`/api/villages/${w.vid}/notices`, w.tokens.auditor)
    expect(notices.body.items.map((n: any) => n.id).sort()).toEqual([p1.body.id, p2.body.id].sort())
    expect(notices.body.items.find((n: any) => n.id === p2.body.id).objections[0].text).toBe('他家那天不在村里')
    expect(
      (await t.api.post(`/api/awards/${p2.body.id}/withdraw`, { reason: '异议成立' }, w.tokens.approver)).body.status,
    ).toBe('withdrawn')

    await postDueAwards(t.db, new Date(until - 1000))
    expect((await t.api.get(`/api/households/${a.id}`, w.tokens.clerk)).body.balance).toBe(0)
    await postDueAwards(t.db, new Date(until + 1000))
    await postDueAwards(t.db, new Date(until + 2000)) // a second run (e.g. after a restart) posts nothing more
    expect((await t.api.get(`/api/households/${a.id}`, w.tokens.clerk)).body.balance).toBe(8)
    expect((await t.api.get(`/api/households/${b.id}`, w.tokens.clerk)).body.balance).toBe(0)
    expect((await t.api.get(`/api/awards/${p1.body.id}`, w.tokens.clerk)).body.status).toBe('posted')
  })

  test('a second proposal while the first is on notice counts it: refused when proposed (issue 17)', async () => {
    const w = await t.village({ noticeDays: 1 })
    const r = await rule(w, { limit: { count: 1, period: 'year' } })
    const h = await t.household(w.vid, w.tokens.clerk!)
    const p1 = await propose(w, r.id, [h.id])
    await t.api.post(`/api/awards/${p1.body.id}/approve`, {}, w.tokens.approver)
    const p2 = await propose(w, r.id, [h.id])
    expect(p2.status).toBe(422)
    expect(p2.body.error.details[0]).toMatchObject({ householdId: h.id, count: 0, pending: 1 })
    await postDueAwards(t.db, new Date(Date.now() + 2 * 86400_000))
    expect((await t.api.get(`/api/households/${h.id}`, w.tokens.clerk)).body.balance).toBe(10)
  })

  test('weekly limits count Monday to Sunday on the deed date; reversed awards do not count', async () => {
    const r = await rule(v, { limit: { count: 1, period: 'week' } })
    const h = await t.household(v.vid, v.tokens.clerk!)
    const approve = async (date: string) => {
      const p = await propose(v, r.id, [h.id], date)
      return p.status === 201 ? t.api.post(`/api/awards/${p.body.id}/approve`, {}, v.tokens.approver) : p
    }
    expect((await approve('2026-11-16')).status).toBe(200) // a Monday
    expect((await approve('2026-11-22')).body.error.code).toBe('RULE_LIMIT_EXCEEDED') // the Sunday after
    expect((await approve('2026-11-23')).status).toBe(200) // next Monday
    const ledger = await t.api.get(`/api/households/${h.id}/ledger`, v.tokens.clerk)
    await t.api.post(`/api/ledger/${ledger.body.entries[0].id}/reverse`, { reason: '重复录入' }, v.tokens.approver)
    expect((await approve('2026-11-22')).status).toBe(200)
  })

  test('deductions lower balance and honour; reversal restores both', async () => {
    const plus = await rule(v, { points: 30 })
    const minus = await rule(v, { points: -12, category: '违规扣分' })
    const h = await t.household(v.vid, v.tokens.clerk!)
    for (const r of [plus, minus]) {
      const p = await propose(v, r.id, [h.id])
      await t.api.post(`/api/awards/${p.body.id}/approve`, {}, v.tokens.approver)
    }
    let got = (await t.api.get(`/api/households/${h.id}`, v.tokens.clerk)).body
    expect([got.balance, got.honour]).toEqual([18, 18])
    const ledger = (await t.api.get(`/api/households/${h.id}/ledger`, v.tokens.clerk)).body
    expect(ledger.entries.map((e: any) => e.kind)).toEqual(['award', 'deduction'])
    const ded = ledger.entries[1]
    const rev = await t.api.post(`/api/ledger/${ded.id}/reverse`, { reason: '误扣' }, v.tokens.approver)
    expect(rev.status).toBe(201)
    got = (await t.api.get(`/api/households/${h.id}`, v.tokens.clerk)).body
    expect([got.balance, got.honour]).toEqual([30, 30])
    const revOfRev = await t.api.post(`/api/ledger/${rev.body.id}/reverse`, { reason: 'x' }, v.tokens.approver)
    expect(revOfRev.status).toBe(409)
  })

  test('photo evidence is checked by content', async () => {
    const r = await rule(v)
    const h = await t.household(v.vid, v.tokens.clerk!)
    const p = await propose(v, r.id, [h.id])
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3])
    const ok = await t.api.call('POST', `/api/awards/${p.body.id}/evidence`, png, v.tokens.clerk, {
      'content-type': 'image/png',
    })
    expect(ok.status).toBe(201)
    expect(ok.body.mime).toBe('image/png')
    const fake = await t.api.call('POST', `/api/awards/${p.body.id}/evidence`, 'GIF89a not really', v.tokens.clerk, {
      'content-type': 'image/jpeg',
    })
    expect(fake.status).toBe(400)
    const detail = await t.api.get(`/api/awards/${p.body.id}`, v.tokens.approver)
    expect(detail.body.evidence).toHaveLength(1)
    const img = await t.app.request(`/api/awards/${p.body.id}/evidence/${ok.body.id}`, {
      headers: { authorization: `Bearer ${v.tokens.approver}` },
    })
    expect(img.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await img.arrayBuffer())).toEqual(png)
  })

  test('one award for many households posts all or nothing', async () => {
    const r = await rule(v, { points: 5, limit: { count: 1, period: 'day' } })
    const hs = []
    for (let i = 0; i < 30; i++) hs.push(await t.household(v.vid, v.tokens.clerk!))
    const early = await propose(v, r.id, [hs[29].id])
    const big = await propose(
      v,
      r.id,
      hs.slice(0, 29).map((h) => h.id),
    )
    expect(big.status).toBe(201)
    expect(big.body.householdCount).toBe(29)
    // Pending awards count when proposing (issue 17), so the overlap is made behind that check, as by an award
    // proposed before it: posting still checks, and refuses the whole award until the approver decides.
    await t.db
      .insertInto('award_households')
      .values({ village_id: v.vid, award_id: big.body.id, household_id: hs[29].id, member_id: null })
      .execute()
    await t.api.post(`/api/awards/${early.body.id}/approve`, {}, v.tokens.approver)
    const refused = await t.api.post(`/api/awards/${big.body.id}/approve`, {}, v.tokens.approver)
    expect(refused.status).toBe(422)
    expect(refused.body.error.details[0].householdId).toBe(hs[29].id)
    for (const h of hs.slice(0, 29)) expect(await balance(h.id)).toBe(0)
    expect((await t.api.get(`/api/awards/${big.body.id}`, v.tokens.clerk)).body.status).toBe('pending')
  })

  test('approval warns when outstanding points exceed the value of the goods in stock', async () => {
    const w = await t.village()
    const r = await rule(w, { points: 50 })
    const h = await t.household(w.vid, w.tokens.clerk!)
    const product = await t.api.post(
      `/api/villages/${w.vid}/products`,
      { sku: unique('P'), name: '大米', pointsPrice: 20 },
      w.tokens.cashier,
    )
    await t.api.post(
      `/api/villages/${w.vid}/stock/receipts`,
      { donor: '爱心企业', items: [{ productId: product.body.id, quantity: 3 }] },
      w.tokens.cashier,
    )
    const first = await t.api.post(
      `/api/awards/${(await propose(w, r.id, [h.id])).body.id}/approve`,
      {},
      w.tokens.approver,
    )
    expect(first.body.budgetWarning).toBeNull() // 50 outstanding, 60 in stock
    const second = await t.api.post(
      `/api/awards/${(await propose(w, r.id, [h.id])).body.id}/approve`,
      {},
      w.tokens.approver,
    )
    expect(second.body.budgetWarning).toMatchObject({ outstanding: 100, stockValue: 60 })
  })
})
