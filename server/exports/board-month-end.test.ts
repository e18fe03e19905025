import { beforeAll, expect, test } from 'vitest'
import { localMonth } from '../../shared/time.js'
import { type TestContext, testContext } from '../../test/context.js'
import { createRule, postAt, postNow, spec, tableRows } from '../../test/support/exports-fixtures.js'

/*
 * Issue 17: the board for October showed November's notices and today's honour totals. A month's board shows
 * that month's state at its end: the notices of that month, the 红榜 as of its last day.
 */

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

const board = async (vid: string, token: string, m: string) =>
  (await t.api.get(`/api/villages/${vid}/board?month=${m}`, token)).text
/** The rows of the board's 红榜 table (rank, number, head, honour). */
const redRows = (page: string) => tableRows(page.slice(page.indexOf('二、红榜'), page.indexOf('三、黑榜')))

test("October's board: October's notices and honour as of Oct 31, not today's", async () => {
  const v = await t.village({ noticeDays: 5 })
  const good = await createRule(t, v.vid, v.tokens.clerk!, { code: 'G1', name: '清扫街道', points: 10 })
  const a = await t.household(v.vid, v.tokens.clerk!, { headName: '张小三' })
  const b = await t.household(v.vid, v.tokens.clerk!, { headName: '李四' })
  await postAt(t.db, v.vid, '2025-10-15T02:00:00Z', null, [
    spec.award(a.id, good),
    spec.award(b.id, good),
    spec.award(b.id, good),
  ])
  // After October: a earns much more, so today's 红榜 puts a first; October's must keep b first with 20.
  await postNow(t.db, v.vid, v.users.clerk!, [spec.award(a.id, good), spec.award(a.id, good), spec.award(a.id, good)])

  // An award on notice in October (approved Oct 20, notice until Oct 25), and one on notice now.
  const october = await t.api.post(
    `/api/villages/${v.vid}/awards`,
    { ruleId: good.id, householdIds: [a.id], occurredOn: '2025-10-18', note: '十月的公示' },
    v.tokens.clerk,
  )
  await t.api.post(`/api/awards/${october.body.id}/approve`, {}, v.tokens.approver)
  await t.db
    .updateTable('award_approvals')
    .set({ at: '2025-10-20T02:00:00.000Z' })
    .where('award_id', '=', october.body.id)
    .execute()
  await t.db
    .updateTable('awards')
    .set({ notice_until: '2025-10-25T02:00:00.000Z' })
    .where('id', '=', october.body.id)
    .execute()
  const now = await t.api.post(
    `/api/villages/${v.vid}/awards`,
    {
      ruleId: good.id,
      householdIds: [b.id],
      occurredOn: `${localMonth(new Date(), 'Asia/Shanghai')}-01`,
      note: '本月的公示',
    },
    v.tokens.clerk,
  )
  await t.api.post(`/api/awards/${now.body.id}/approve`, {}, v.tokens.approver)

  const oct = await board(v.vid, v.tokens.auditor!, '2025-10')
  expect(oct).toContain('十月的公示')
  expect(oct).not.toContain('本月的公示')
  expect(
    redRows(oct)
      .filter((r) => r.length === 4 && /^\d+$/.test(r[0]!))
      .map((r) => [r[2], r[3]]),
  ).toEqual([
    ['李四', '20'],
    ['张小三', '10'],
  ])

  const today = await board(v.vid, v.tokens.auditor!, localMonth(new Date(), 'Asia/Shanghai'))
  expect(today).toContain('本月的公示')
  expect(today).not.toContain('十月的公示')
  expect(
    redRows(today)
      .filter((r) => r.length === 4 && /^\d+$/.test(r[0]!))
      .map((r) => [r[2], r[3]]),
  ).toEqual([
    ['张小三', '40'],
    ['李四', '20'],
  ])
})
