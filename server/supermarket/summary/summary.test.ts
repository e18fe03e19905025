import { beforeAll, describe, expect, test } from 'vitest'
import { addDays, localDate } from '../../../shared/time.js'
import { type TestContext, testContext } from '../../../test/context.js'
import { fundedHousehold, product, redeemVia } from '../../../test/support/supermarket.js'
import { SYSTEM_ACTOR } from '../../core/actor.js'
import { budgetWarning, nearExpiry } from './summary.service.js'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

const today = () => localDate(new Date(), 'Asia/Shanghai')

describe('the points budget (积分总额控制)', () => {
  test('outstanding points against the value of the goods, with a warning when the goods fall short', async () => {
    const v = await t.village()
    const empty = await t.api.get(`/api/villages/${v.vid}/supermarket/summary`, v.tokens.auditor)
    expect(empty.body).toMatchObject({ outstanding: 0, stockValue: 0, overCommitted: false, coverage: null })
    expect(await budgetWarning(t.db, SYSTEM_ACTOR, v.vid)).toBeNull()

    const a = await fundedHousehold(t, v, 120)
    await fundedHousehold(t, v, 80)
    const oil = await product(t, v, { pointsPrice: 50 }, 3) // 150 points of goods
    const before = await t.api.get(`/api/villages/${v.vid}/supermarket/summary`, v.tokens.cashier)
    expect(before.body).toMatchObject({ outstanding: 200, stockValue: 150, overCommitted: true, coverage: 0.75 })
    expect(await budgetWarning(t.db, SYSTEM_ACTOR, v.vid)).toEqual({ outstanding: 200, stockValue: 150 })

    // A sale lowers both sides by the same amount; more goods lift the warning.
    const sold = await redeemVia(t, v)({ householdId: a.id, items: [{ productId: oil.id, quantity: 1 }] })
    expect(sold.status).toBe(201)
    expect(await budgetWarning(t.db, SYSTEM_ACTOR, v.vid)).toEqual({ outstanding: 150, stockValue: 100 })
    await t.api.post(
      `/api/villages/${v.vid}/stock/receipts`,
      { donor: '爱心企业', items: [{ productId: oil.id, quantity: 1 }] },
      v.tokens.cashier,
    )
    expect(await budgetWarning(t.db, SYSTEM_ACTOR, v.vid)).toBeNull() // 150 against 150: covered
    await t.api.post(
      `/api/villages/${v.vid}/stock/receipts`,
      { items: [{ productId: oil.id, quantity: 1 }] },
      v.tokens.cashier,
    )
    expect(await budgetWarning(t.db, SYSTEM_ACTOR, v.vid)).toBeNull()
    const after = await t.api.get(`/api/villages/${v.vid}/supermarket/summary`, v.tokens.cashier)
    expect(after.body).toMatchObject({ outstanding: 150, stockValue: 200, overCommitted: false })
    expect(after.body.counterToday).toEqual({ redemptions: 1, pointsSpent: 50 })
  })

  test('goods taken off sale back no points; a household in debt does not lower the others', async () => {
    const v = await t.village()
    await fundedHousehold(t, v, 30)
    const debtor = await fundedHousehold(t, v, 0)
    const { appendEntries } = await import('../../ledger/ledger.service.js')
    await t.db
      .transaction()
      .execute((trx) =>
        appendEntries(trx, v.vid, null, [
          { kind: 'deduction', householdId: debtor.id, amount: -20, counter: 'penalties', memo: '罚' },
        ]),
      )
    await product(t, v, { pointsPrice: 10 }, 2)
    const retired = await product(t, v, { pointsPrice: 100 }, 1)
    await t.api.patch(`/api/products/${retired.id}`, { active: false }, v.tokens.cashier)
    expect(await budgetWarning(t.db, SYSTEM_ACTOR, v.vid)).toEqual({ outstanding: 30, stockValue: 20 })
  })
})

describe('shelf alerts', () => {
  test('products at or below their low-stock threshold', async () => {
    const v = await t.village()
    const low = await product(t, v, { name: '酱油', lowStockThreshold: 5 }, 5)
    await product(t, v, { name: '醋', lowStockThreshold: 5 }, 6)
    const none = await product(t, v, { name: '糖' }, 0) // no threshold: no alert
    const res = await t.api.get(`/api/villages/${v.vid}/stock/alerts`, v.tokens.cashier)
    expect(res.status).toBe(200)
    expect(res.body.lowStock).toEqual([expect.objectContaining({ productId: low.id, stock: 5, threshold: 5 })])
    expect(res.body.lowStock.map((p: any) => p.productId)).not.toContain(none.id)
    const summary = await t.api.get(`/api/villages/${v.vid}/supermarket/summary`, v.tokens.cashier)
    expect(summary.body.lowStock.map((p: any) => p.productId)).toEqual([low.id])
  })

  test('lots within 60 days of best-before, counted first-in-first-out from what is left', async () => {
    const v = await t.village()
    const milk = await product(t, v, { name: '牛奶', pointsPrice: 10 })
    const receive = (quantity: number, bestBefore: string | null) =>
      t.api.post(
        `/api/villages/${v.vid}/stock/receipts`,
        { items: [{ productId: milk.id, quantity, bestBefore }] },
        v.tokens.cashier,
      )
    await receive(5, addDays(today(), -3)) // expired, oldest
    await receive(4, addDays(today(), 30)) // near
    await receive(6, addDays(today(), 90)) // far
    await receive(2, null) // no date
    // 17 received, 5 leave. First-in-first-out, the shelf's 12 are the newest: 2 undated, 6 far, 4 near; the
    // expired lot is gone.
    const h = await fundedHousehold(t, v, 500)
    expect((await redeemVia(t, v)({ householdId: h.id, items: [{ productId: milk.id, quantity: 5 }] })).status).toBe(
      201,
    )
    let alerts = (await t.api.get(`/api/villages/${v.vid}/stock/alerts`, v.tokens.auditor)).body
    expect(alerts.nearExpiry.map((l: any) => [l.bestBefore, l.remaining, l.expired])).toEqual([
      [addDays(today(), 30), 4, false],
    ])
    expect(alerts.nearExpiry[0].daysLeft).toBe(30)

    expect((await redeemVia(t, v)({ householdId: h.id, items: [{ productId: milk.id, quantity: 2 }] })).status).toBe(
      201,
    )
    alerts = (await t.api.get(`/api/villages/${v.vid}/stock/alerts`, v.tokens.auditor)).body
    expect(alerts.nearExpiry.map((l: any) => [l.bestBefore, l.remaining])).toEqual([[addDays(today(), 30), 2]])
  })

  test('an expired lot still on the shelf is flagged as expired', async () => {
    const v = await t.village()
    const bread = await product(t, v, { name: '面包' })
    await t.api.post(
      `/api/villages/${v.vid}/stock/receipts`,
      { items: [{ productId: bread.id, quantity: 3, bestBefore: addDays(today(), -1) }] },
      v.tokens.cashier,
    )
    const lots = await nearExpiry(t.db, SYSTEM_ACTOR, v.vid, today())
    expect(lots).toEqual([expect.objectContaining({ productId: bread.id, remaining: 3, expired: true, daysLeft: -1 })])
    // Sixty days ahead is in; sixty-one is not.
    await t.api.post(
      `/api/villages/${v.vid}/stock/receipts`,
      { items: [{ productId: bread.id, quantity: 1, bestBefore: addDays(today(), 60) }] },
      v.tokens.cashier,
    )
    await t.api.post(
      `/api/villages/${v.vid}/stock/receipts`,
      { items: [{ productId: bread.id, quantity: 1, bestBefore: addDays(today(), 61) }] },
      v.tokens.cashier,
    )
    expect((await nearExpiry(t.db, SYSTEM_ACTOR, v.vid, today())).map((l) => l.daysLeft)).toEqual([-1, 60])
  })
})
