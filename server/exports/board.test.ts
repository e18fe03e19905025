import { beforeAll, describe, expect, test } from 'vitest'
import { localDate, localMonth } from '../../shared/time.js'
import { type TestContext, testContext } from '../../test/context.js'
import { localClock } from '../../shared/time.js'
import { createRule, postAt, postNow, spec, tableRows } from '../../test/support/exports-fixtures.js'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

const month = localMonth(new Date(), 'Asia/Shanghai')
const PHONE = '13912345678'
const today = () => localDate(new Date(), 'Asia/Shanghai')

async function board(vid: string, token: string, m = month) {
  const res = await t.api.get(`/api/villages/${vid}/board?month=${m}`, token)
  expect(res.status, res.text).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  return res.text
}

/** The board's row for a household number in the table of household figures (the last table). */
const householdRow = (page: string, householdNo: string) =>
  tableRows(page)
    .filter((r) => r[0] === householdNo)
    .at(-1)

describe('public board', () => {
  test('shows the rules applied, each household’s figures, the red and black lists, and awards on notice with their deadline', async () => {
    const v = await t.village({ noticeDays: 5 })
    const good = await createRule(t, v.vid, v.tokens.clerk!, { code: 'G1', name: '清扫街道', points: 10 })
    const bad = await createRule(t, v.vid, v.tokens.clerk!, { code: 'B1', name: '乱倒垃圾', points: -4 })
    const a = await t.household(v.vid, v.tokens.clerk!, { headName: '张小三', phone: PHONE })
    const b = await t.household(v.vid, v.tokens.clerk!, { headName: '李四' })
    const c = await t.household(v.vid, v.tokens.clerk!, { headName: '王五' })
    await postAt(t.db, v.vid, '2025-12-15T02:00:00Z', null, [spec.award(c.id, good)]) // last year: honour, not this month
    await postNow(t.db, v.vid, v.users.clerk!, [
      spec.award(a.id, good),
      spec.award(a.id, good),
      spec.award(b.id, good),
      spec.deduction(b.id, bad),
    ])
    await postNow(t.db, v.vid, v.users.clerk!, [spec.redemption(a.id, 7)])
    const proposal = await t.api.post(
      `/api/villages/${v.vid}/awards`,
      { ruleId: good.id, householdIds: [c.id, b.id], occurredOn: today() },
      v.tokens.clerk,
    )
    const approved = await t.api.post(`/api/awards/${proposal.body.id}/approve`, {}, v.tokens.approver)
    expect(approved.body.status).toBe('publicized')

    const page = await board(v.vid, v.tokens.auditor!)
    expect(page).toContain(`@page { size: A4 portrait`)
    const rows = tableRows(page)
    expect(rows).toContainEqual(['G1', '清扫街道', '好人好事', '+10', '3', '+30'])
    expect(rows).toContainEqual(['B1', '乱倒垃圾', '违规', '−4', '1', '−4'])
    expect(householdRow(page, a.householdNo)).toEqual([a.householdNo, '张小三', '0', '20', '0', '7', '0', '13'])
    expect(householdRow(page, b.householdNo)).toEqual([b.householdNo, '李四', '0', '10', '4', '0', '0', '6'])
    expect(householdRow(page, c.householdNo)).toEqual([c.householdNo, '王五', '10', '0', '0', '0', '0', '10'])
    expect(rows).toContainEqual(['合计', '3户', '10', '30', '4', '7', '0', '29'])
    // Red list by honour: 张小三 20, 王五 10, 李四 6.
    expect(rows.filter((r) => /^\d+$/.test(r[0]!) && r.length === 4)).toEqual([
      ['1', a.householdNo, '张小三', '20'],
      ['2', c.householdNo, '王五', '10'],
      ['3', b.householdNo, '李四', '6'],
    ])
    expect(rows).toContainEqual([b.householdNo, '李四', '乱倒垃圾', today(), '4'])
    const noticeUntil = localClock('Asia/Shanghai')(approved.body.noticeUntil)
    const notice = rows.find((r) => r[0] === '清扫街道' && r.at(-1) === noticeUntil)
    expect(notice?.[3]).toContain(`${b.householdNo} 李四`)
    expect(notice?.[3]).toContain(`${c.householdNo} 王五`)
    expect(page).not.toContain(PHONE)
  })

  test('a village that masks names shows 张*三 and 李*, everywhere on the board', async () => {
    const v = await t.village({ maskNames: true, noticeDays: 3 })
    const good = await createRule(t, v.vid, v.tokens.clerk!, { code: 'G1', name: '助人为乐', points: 5 })
    const bad = await createRule(t, v.vid, v.tokens.clerk!, { code: 'B1', name: '私搭乱建', points: -2 })
    const a = await t.household(v.vid, v.tokens.clerk!, { headName: '张小三', phone: PHONE })
    const b = await t.household(v.vid, v.tokens.clerk!, { headName: '李四' })
    await postNow(t.db, v.vid, null, [spec.award(a.id, good), spec.award(b.id, good), spec.deduction(b.id, bad)])
    const proposal = await t.api.post(
      `/api/villages/${v.vid}/awards`,
      { ruleId: good.id, householdIds: [a.id], occurredOn: today() },
      v.tokens.clerk,
    )
    await t.api.post(`/api/awards/${proposal.body.id}/approve`, {}, v.tokens.approver)
    const page = await board(v.vid, v.tokens.cashier!)
    expect(page).toContain('张*三')
    expect(page).toContain('李*')
    expect(page).not.toContain('张小三')
    expect(page).not.toContain('李四')
    expect(page).not.toContain(PHONE)
    expect(householdRow(page, b.householdNo)).toEqual([b.householdNo, '李*', '0', '5', '2', '0', '0', '3'])
  })

  test('names are escaped, never markup', async () => {
    const v = await t.village()
    await t.household(v.vid, v.tokens.clerk!, { headName: '<script>alert(1)</script>' })
    const page = await board(v.vid, v.tokens.clerk!)
    expect(page).not.toContain('<script>')
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  test('another village’s staff may not print it; a bad month is a 400', async () => {
    const v = await t.village()
    const other = await t.village()
    expect((await t.api.get(`/api/villages/${v.vid}/board?month=${month}`, other.tokens.auditor)).status).toBe(403)
    expect((await t.api.get(`/api/villages/${v.vid}/board?month=2026-13`, v.tokens.auditor)).status).toBe(400)
    expect((await t.api.get(`/api/villages/${v.vid}/board`, v.tokens.auditor)).status).toBe(400)
  })
})
