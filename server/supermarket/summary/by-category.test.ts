import { beforeAll, expect, test } from 'vitest'
import { localMonth } from '../../../shared/time.js'
import { type TestContext, testContext } from '../../../test/context.js'
import { fundedHousehold, product, redeemVia } from '../../../test/support/supermarket.js'

/* Issue 17: the dashboard's category chart had no redemptions by category. */

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

test("a month's redemptions by product category: points and pieces, voided sales left out, other months apart", async () => {
  const v = await t.village()
  const h = await fundedHousehold(t, v, 500)
  const rice = await product(t, v, { name: '大米', category: '粮油', pointsPrice: 30 }, 10)
  const oil = await product(t, v, { name: '花生油', category: '粮油', pointsPrice: 8 }, 10)
  const soap = await product(t, v, { name: '洗衣皂', category: '日用品', pointsPrice: 4 }, 10)
  const plain = await product(t, v, { name: '无类别', pointsPrice: 1 }, 10)
  const redeem = redeemVia(t, v)
  await t.api.patch(`/api/households/${h.id}`, { pin: '2468' }, v.tokens.clerk)
  const sale = (items: { productId: string; quantity: number }[]) => redeem({ householdId: h.id, pin: '2468', items })
  expect(
    (
      await sale([
        { productId: rice.id, quantity: 1 },
        { productId: soap.id, quantity: 2 },
      ])
    ).status,
  ).toBe(201)
  expect(
    (
      await sale([
        { productId: oil.id, quantity: 2 },
        { productId: plain.id, quantity: 3 },
      ])
    ).status,
  ).toBe(201)
  const voided = await sale([{ productId: soap.id, quantity: 5 }])
  expect(
    (await t.api.post(`/api/redemptions/${voided.body.id}/void`, { reason: '顾客退货' }, v.tokens.cashier)).status,
  ).toBe(200)

  const month = localMonth(new Date(), 'Asia/Shanghai')
  const res = await t.api.get(`/api/villages/${v.vid}/supermarket/by-category?month=${month}`, v.tokens.auditor)
  expect(res.status).toBe(200)
  expect(res.body.items).toEqual([
    { category: '粮油', points: 46, quantity: 3 },
    { category: '日用品', points: 8, quantity: 2 },
    { category: '其他', points: 3, quantity: 3 },
  ])
  expect(
    (await t.api.get(`/api/villages/${v.vid}/supermarket/by-category?month=2020-01`, v.tokens.auditor)).body.items,
  ).toEqual([])
  expect((await t.api.get(`/api/villages/${v.vid}/supermarket/by-category`, v.tokens.auditor)).status).toBe(400)
  const w = await t.village()
  expect(
    (await t.api.get(`/api/villages/${v.vid}/supermarket/by-category?month=${month}`, w.tokens.auditor)).status,
  ).toBe(403)
})
