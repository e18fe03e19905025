import { beforeAll, expect, test } from 'vitest'
import { localDate } from '../../../shared/time.js'
import { type TestContext, testContext } from '../../../test/context.js'
import { product } from '../../../test/support/supermarket.js'

/* Issue 17: donation receipts carried a raw id (0mx1yigba0003n1j4jba); now JZ-2026-0007, per village and year. */

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

test('receipts are numbered JZ-<year>-0001, 0002 … in each village separately, and the printed receipt shows it', async () => {
  const year = localDate(new Date(), 'Asia/Shanghai').slice(0, 4)
  const [v, w] = [await t.village(), await t.village()]
  const give = async (village: typeof v) => {
    const p = await product(t, village, { name: '大米', pointsPrice: 10 })
    const r = await t.api.post(
      `/api/villages/${village.vid}/stock/receipts`,
      { donor: '县供销社', items: [{ productId: p.id, quantity: 2 }] },
      village.tokens.cashier,
    )
    expect(r.status).toBe(201)
    return r.body
  }
  const numbers = [
    (await give(v)).receiptNo,
    (await give(v)).receiptNo,
    (await give(w)).receiptNo,
    (await give(v)).receiptNo,
  ]
  expect(numbers).toEqual([`JZ-${year}-0001`, `JZ-${year}-0002`, `JZ-${year}-0001`, `JZ-${year}-0003`])
  const list = await t.api.get(`/api/villages/${v.vid}/stock/receipts`, v.tokens.cashier)
  expect(list.body.items.map((r: { receiptNo: string }) => r.receiptNo)).toEqual([
    `JZ-${year}-0003`,
    `JZ-${year}-0002`,
    `JZ-${year}-0001`,
  ])
  const last = list.body.items[0]
  const page = await t.api.get(`/api/stock/receipts/${last.id}/print`, v.tokens.cashier)
  expect(page.text).toContain(`<dd>JZ-${year}-0003</dd>`)
  expect(page.text).not.toContain(last.id)
})
