import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../test/context.js'
import { createRule, postAt, spec } from '../../test/support/exports-fixtures.js'

let t: TestContext
let east: Awaited<ReturnType<TestContext['village']>>
let west: Awaited<ReturnType<TestContext['village']>>
const MONTH = '2026-06'

/** Two villages in June 2026: in 东村 both households took part, in 西村 one of three did, and redeemed. */
beforeAll(async () => {
  t = await testContext()
  east = await t.village()
  west = await t.village()
  const e = await createRule(t, east.vid, east.tokens.clerk!, { code: 'G', name: '美丽庭院', points: 6 })
  const w = await createRule(t, west.vid, west.tokens.clerk!, { code: 'G', name: '美丽庭院', points: 20 })
  const wBad = await createRule(t, west.vid, west.tokens.clerk!, { code: 'B', name: '占道经营', points: -3 })
  const [e1, e2] = [await t.household(east.vid, east.tokens.clerk!), await t.household(east.vid, east.tokens.clerk!)]
  const [w1, w2, w3] = [
    await t.household(west.vid, west.tokens.clerk!),
    await t.household(west.vid, west.tokens.clerk!),
    await t.household(west.vid, west.tokens.clerk!),
  ]
  await postAt(t.db, west.vid, '2026-05-20T02:00:00Z', null, [spec.award(w2.id, w)]) // May: outstanding, not June's participation
  await postAt(t.db, east.vid, '2026-06-10T02:00:00Z', null, [
    spec.award(e1.id, e),
    spec.award(e2.id, e),
    spec.award(e2.id, e),
  ])
  await postAt(t.db, west.vid, '2026-06-11T02:00:00Z', null, [
    spec.award(w1.id, w),
    spec.deduction(w3.id, wBad),
    spec.redemption(w2.id, 15),
  ])
})

describe('township roll-up', () => {
  test('per village: households, participation, points issued, deducted, redeemed, outstanding; ranked by participation', async () => {
    const res = await t.api.get(`/api/rollup?month=${MONTH}`, t.adminToken)
    expect(res.status, res.text).toBe(200)
    expect(res.body.villages.map((r: any) => [r.rank, r.villageId])).toEqual([
      [1, east.vid],
      [2, west.vid],
    ])
    const [e, w] = res.body.villages
    expect(e).toMatchObject({
      households: 2,
      participating: 2,
      participationRate: 1,
      issued: 18,
      deducted: 0,
      redeemed: 0,
      outstanding: 18,
    })
    expect(w).toMatchObject({
      households: 3,
      participating: 1,
      participationRate: 0.3333,
      issued: 20,
      deducted: 3,
      redeemed: 15,
      outstanding: 22,
    })
    expect(res.body.totals).toMatchObject({
      households: 5,
      participating: 3,
      participationRate: 0.6,
      issued: 38,
      deducted: 3,
      redeemed: 15,
      outstanding: 40,
    })
  })

  test('agrees with each village’s own export', async () => {
    const res = await t.api.get(`/api/rollup?month=${MONTH}`, t.adminToken)
    for (const v of [east, west]) {
      const exported = await t.api.get(`/api/villages/${v.vid}/exports/monthly?month=${MONTH}`, v.tokens.auditor)
      const row = res.body.villages.find((r: any) => r.villageId === v.vid)
      expect(row.households).toBe(exported.body.households.length)
      expect({ ...exported.body.totals }).toEqual({
        opening: row.opening,
        earned: row.issued,
        deducted: row.deducted,
        redeemed: row.redeemed,
        adjusted: row.adjusted,
        closing: row.outstanding,
      })
    }
  })

  test('admins only; a month is required', async () => {
    for (const role of ['auditor', 'clerk', 'approver', 'cashier']) {
      const res = await t.api.get(`/api/rollup?month=${MONTH}`, east.tokens[role])
      expect(res.status, role).toBe(403)
    }
    expect((await t.api.get('/api/rollup?month=2026-00', t.adminToken)).status).toBe(400)
    expect((await t.api.get('/api/rollup', t.adminToken)).status).toBe(400)
  })
})
