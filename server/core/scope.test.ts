import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../test/context.js'
import { getAwardDetail } from '../awards/awards.service.js'
import { getHousehold, listHouseholds, updateHousehold } from '../households/households.service.js'
import { householdLedger } from '../ledger/ledger-read.js'
import { getRule } from '../rules/rules.service.js'
import { getProduct } from '../supermarket/products/products.service.js'
import { getVillage } from '../villages/villages.service.js'
import { type ActingUser, SYSTEM_ACTOR } from './actor.js'

/*
 * The services check the village themselves, whatever route calls them: a route that forgot scopeBy still
 * cannot reach another village's rows. Called here directly, with no route in between.
 */

let t: TestContext
let a: Awaited<ReturnType<TestContext['village']>>
let clerkOf: (vid: string) => ActingUser
let ids: { household: string; rule: string; product: string; award: string }

beforeAll(async () => {
  t = await testContext()
  a = await t.village()
  clerkOf = (vid) => ({ id: 'someone', username: 'someone', roles: ['clerk'], villageId: vid })
  const h = await t.household(a.vid, a.tokens.clerk!)
  const rule = await t.api.post(
    `/api/villages/${a.vid}/rules`,
    { code: 'R1', name: '扫雪', category: '公益', points: 5 },
    a.tokens.clerk,
  )
  const product = await t.api.post(
    `/api/villages/${a.vid}/products`,
    { sku: 'S1', name: '香皂', pointsPrice: 2 },
    a.tokens.cashier,
  )
  const award = await t.api.post(
    `/api/villages/${a.vid}/awards`,
    { ruleId: rule.body.id, householdIds: [h.id], occurredOn: '2025-01-02' },
    a.tokens.clerk,
  )
  ids = { household: h.id, rule: rule.body.id, product: product.body.id, award: award.body.id }
})

describe('services refuse another village by themselves', () => {
  test("another village's staff: FORBIDDEN on every kind of row, and on the village's lists", async () => {
    const stranger = clerkOf((await t.village()).vid)
    const refusals = [
      getHousehold(t.db, stranger, ids.household),
      updateHousehold(t.db, stranger, ids.household, { headName: '李四' }),
      householdLedger(t.db, stranger, ids.household, undefined),
      getRule(t.db, stranger, ids.rule),
      getProduct(t.db, stranger, ids.product),
      getAwardDetail(t.db, stranger, ids.award),
      getVillage(t.db, stranger, a.vid),
      listHouseholds(t.db, stranger, a.vid, { limit: 10 }),
    ]
    // Settled together: awaiting them one by one leaves a later one's refusal unhandled for a while (PostgreSQL's
    // round trips make that visible).
    for (const r of await Promise.allSettled(refusals))
      expect(r).toMatchObject({ status: 'rejected', reason: { code: 'FORBIDDEN' } })
    expect((await getHousehold(t.db, SYSTEM_ACTOR, ids.household)).headName).toBe('张三')
  })

  test('an unknown id is NOT_FOUND; staff of the village, admins and the system actor are served', async () => {
    await expect(getHousehold(t.db, clerkOf(a.vid), 'no-such-id')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const admin: ActingUser = { id: 'admin', username: 'admin', roles: ['admin'], villageId: null }
    for (const actor of [clerkOf(a.vid), admin, SYSTEM_ACTOR]) {
      expect((await getRule(t.db, actor, ids.rule)).code).toBe('R1')
      expect((await getProduct(t.db, actor, ids.product)).sku).toBe('S1')
    }
  })
})
