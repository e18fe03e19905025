import { beforeAll, describe, expect, test } from 'vitest'
import { localDate } from '../../shared/time.js'
import { type TestContext, testContext, unique } from '../../test/context.js'
import { postDueAwards } from './posting.js'

/*
 * Issue 17, in the office: the member who did the deed named everywhere, and rule limits that the approver
 * decides on (the households over the limit named in Chinese; the others still post) instead of losing the
 * whole proposal.
 */

let t: TestContext
const today = () => localDate(new Date(), 'Asia/Shanghai')

beforeAll(async () => {
  t = await testContext()
})

type Village = Awaited<ReturnType<TestContext['village']>>

async function rule(v: Village, fields: Record<string, unknown> = {}) {
  const res = await t.api.post(
    `/api/villages/${v.vid}/rules`,
    { code: unique('R'), name: '志愿服务', category: '志愿服务', points: 10, ...fields },
    v.tokens.clerk,
  )
  expect(res.status).toBe(201)
  return res.body
}
const propose = (v: Village, ruleId: string, householdIds: string[], extra: Record<string, unknown> = {}) =>
  t.api.post(`/api/villages/${v.vid}/awards`, { ruleId, householdIds, occurredOn: today(), ...extra }, v.tokens.clerk)
const balance = async (v: Village, id: string) =>
  (await t.api.get(`/api/households/${id}`, v.tokens.clerk)).body.balance

/** An award proposed before pending awards were counted (or by a second server mid-upgrade): the household added behind the check. */
async function addBehindTheCheck(v: Village, awardId: string, householdId: string) {
  await t.db
    .insertInto('award_households')
    .values({ village_id: v.vid, award_id: awardId, household_id: householdId, member_id: null })
    .execute()
}

describe('the member who did the deed', () => {
  test('is named in the ledger, the passbook, the notices and the board', async () => {
    const v = await t.village({ noticeDays: 3 })
    const r = await rule(v, { name: '照顾孤寡老人' })
    const h = await t.household(v.vid, v.tokens.clerk!, {
      headName: '许国福',
      members: [{ name: '许红', relation: '女儿' }],
    })
    const member = h.members.find((m: { name: string }) => m.name === '许红')
    const p = await propose(v, r.id, [h.id], { memberId: member.id })
    expect(p.status).toBe(201)
    await t.api.post(`/api/awards/${p.body.id}/approve`, {}, v.tokens.approver)
    const notices = await t.api.get(`/api/villages/${v.vid}/notices`, v.tokens.clerk)
    expect(notices.body.items[0].households[0].memberName).toBe('许红')
    const month = today().slice(0, 7)
    const boardOnNotice = await t.api.get(`/api/villages/${v.vid}/board?month=${month}`, v.tokens.clerk)
    expect(boardOnNotice.text).toContain('许国福（许红）')

    await postDueAwards(t.db, new Date(Date.now() + 4 * 86_400_000))
    const ledger = await t.api.get(`/api/households/${h.id}/ledger`, v.tokens.clerk)
    expect(ledger.body.entries[0].memo).toContain('许红')
    const passbook = await t.api.get(`/api/households/${h.id}/passbook?month=${month}`, v.tokens.clerk)
    expect(passbook.text).toContain('许红')
  })

  test("a deduction names the member on the board's 黑榜", async () => {
    const v = await t.village({ noticeDays: 0 })
    const r = await rule(v, { name: '乱倒垃圾', points: -5, category: '违规扣分' })
    const h = await t.household(v.vid, v.tokens.clerk!, { headName: '王大', members: [{ name: '王小二' }] })
    await t.api.post(
      `/api/villages/${v.vid}/rules`,
      { code: unique('R'), name: '门前三包', category: '环境', points: 20 },
      v.tokens.clerk,
    )
    const p = await propose(v, r.id, [h.id], { memberId: h.members[0].id })
    expect((await t.api.post(`/api/awards/${p.body.id}/approve`, {}, v.tokens.approver)).status).toBe(200)
    const board = await t.api.get(`/api/villages/${v.vid}/board?month=${today().slice(0, 7)}`, v.tokens.clerk)
    expect(board.text).toMatch(/王大（王小二）/)
  })
})

describe('rule limits: the approver decides', () => {
  test('a proposal counts the awards still pending: refused, naming the household and why in Chinese', async () => {
    const v = await t.village({ noticeDays: 0 })
    const r = await rule(v, { limit: { count: 1, period: 'month' } })
    const a = await t.household(v.vid, v.tokens.clerk!, { headName: '王秀英' })
    const b = await t.household(v.vid, v.tokens.clerk!)
    expect((await propose(v, r.id, [a.id])).status).toBe(201)
    const second = await propose(v, r.id, [a.id, b.id])
    expect(second.status).toBe(422)
    expect(second.body.error.code).toBe('RULE_LIMIT_EXCEEDED')
    expect(second.body.error.message).toContain(`${a.householdNo} 王秀英：已得 0 次，待批 1 次，每月最多 1 次`)
    expect(second.body.error.details).toEqual([
      expect.objectContaining({ householdId: a.id, count: 0, pending: 1, limit: 1 }),
    ])
  })

  test('over the limit at posting: 422 naming the households, nothing posts; then the approver posts the others', async () => {
    const v = await t.village({ noticeDays: 0 })
    const r = await rule(v, { limit: { count: 1, period: 'year' } })
    const [a, b, c] = [
      await t.household(v.vid, v.tokens.clerk!),
      await t.household(v.vid, v.tokens.clerk!),
      await t.household(v.vid, v.tokens.clerk!),
    ]
    const p1 = await propose(v, r.id, [a.id])
    const p2 = await propose(v, r.id, [b.id, c.id])
    await addBehindTheCheck(v, p2.body.id, a.id)
    expect((await t.api.post(`/api/awards/${p1.body.id}/approve`, {}, v.tokens.approver)).status).toBe(200)

    const detail = await t.api.get(`/api/awards/${p2.body.id}`, v.tokens.approver)
    expect(detail.body.limitProblems.map((p: { householdId: string }) => p.householdId)).toEqual([a.id])
    const refused = await t.api.post(`/api/awards/${p2.body.id}/approve`, {}, v.tokens.approver)
    expect(refused.status).toBe(422)
    expect(refused.body.error.message).toMatch(/1 户会超过/)
    expect([await balance(v, a.id), await balance(v, b.id), await balance(v, c.id)]).toEqual([10, 0, 0])

    // Only a household really over the limit may be left out.
    const wrong = await t.api.post(
      `/api/awards/${p2.body.id}/approve`,
      { excludeHouseholdIds: [b.id] },
      v.tokens.approver,
    )
    expect(wrong.status).toBe(400)
    const ok = await t.api.post(`/api/awards/${p2.body.id}/approve`, { excludeHouseholdIds: [a.id] }, v.tokens.approver)
    expect(ok.status).toBe(200)
    expect(ok.body.status).toBe('posted')
    expect([await balance(v, a.id), await balance(v, b.id), await balance(v, c.id)]).toEqual([10, 10, 10])
    const after = await t.api.get(`/api/awards/${p2.body.id}`, v.tokens.clerk)
    expect(after.body.households.find((h: { id: string }) => h.id === a.id).excludedReason).toMatch(/超过次数上限/)
  })

  test('a limit reached while on notice sends the award back to the queue (not rejected); the next approval posts the others', async () => {
    const v = await t.village({ noticeDays: 1 })
    const r = await rule(v, { limit: { count: 1, period: 'year' } })
    const [a, b] = [await t.household(v.vid, v.tokens.clerk!), await t.household(v.vid, v.tokens.clerk!)]
    const p1 = await propose(v, r.id, [a.id])
    const p2 = await propose(v, r.id, [b.id])
    await addBehindTheCheck(v, p2.body.id, a.id)
    await t.api.post(`/api/awards/${p1.body.id}/approve`, {}, v.tokens.approver)
    await t.api.post(`/api/awards/${p2.body.id}/approve`, {}, v.tokens.approver)
    await postDueAwards(t.db, new Date(Date.now() + 2 * 86_400_000))
    const back = (await t.api.get(`/api/awards/${p2.body.id}`, v.tokens.approver)).body
    expect(back.status).toBe('pending')
    expect(back.reason).toMatch(/户会超过/)
    expect(back.approvals).toEqual([])
    expect(await balance(v, b.id)).toBe(0)
    const ok = await t.api.post(`/api/awards/${p2.body.id}/approve`, { excludeHouseholdIds: [a.id] }, v.tokens.approver)
    expect(ok.body.status).toBe('posted') // its notice was served
    expect([await balance(v, a.id), await balance(v, b.id)]).toEqual([10, 10])
  })
})
