import { beforeAll, describe, expect, test } from 'vitest'
import { localMonth, previousMonth } from '../../../shared/time.js'
import { type TestContext, testContext, unique } from '../../../test/context.js'
import { refusal } from '../../../test/db.js'
import { count, movesSum, product, stockOf, type Village } from '../../../test/support/supermarket.js'

let t: TestContext
let v: Village
beforeAll(async () => {
  t = await testContext()
  v = await t.village()
})

const thisMonth = () => localMonth(new Date(), 'Asia/Shanghai')

describe('products', () => {
  test('create, list with stock, find by barcode, change; the SKU and the barcode are unique in the village', async () => {
    const res = await t.api.post(
      `/api/villages/${v.vid}/products`,
      {
        sku: 'OIL-5L',
        name: '食用油',
        pointsPrice: 60,
        unit: '桶',
        category: '粮油',
        barcode: '6901234567890',
        lowStockThreshold: 3,
      },
      v.tokens.cashier,
    )
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      sku: 'OIL-5L',
      name: '食用油',
      pointsPrice: 60,
      unit: '桶',
      category: '粮油',
      barcode: '6901234567890',
      lowStockThreshold: 3,
      active: true,
      stock: 0,
    })
    const list = await t.api.get(`/api/villages/${v.vid}/products`, v.tokens.auditor)
    expect(list.status).toBe(200)
    expect(list.body.items.find((p: any) => p.id === res.body.id).stock).toBe(0)
    expect(list.body).toHaveProperty('nextCursor', null)
    const scanned = await t.api.get(`/api/villages/${v.vid}/products?barcode=6901234567890`, v.tokens.cashier)
    expect(scanned.body.items.map((p: any) => p.id)).toEqual([res.body.id])

    const dupSku = await t.api.post(
      `/api/villages/${v.vid}/products`,
      { sku: 'OIL-5L', name: '别的油', pointsPrice: 50 },
      v.tokens.cashier,
    )
    expect(dupSku.status).toBe(409)
    expect(dupSku.body.error.code).toBe('DUPLICATE')
    const dupBarcode = await t.api.post(
      `/api/villages/${v.vid}/products`,
      { sku: 'OIL-1L', name: '小瓶油', pointsPrice: 15, barcode: '6901234567890' },
      v.tokens.cashier,
    )
    expect(dupBarcode.status).toBe(409)
    const w = await t.village()
    const elsewhere = await t.api.post(
      `/api/villages/${w.vid}/products`,
      { sku: 'OIL-5L', name: '食用油', pointsPrice: 60, barcode: '6901234567890' },
      w.tokens.cashier,
    )
    expect(elsewhere.status).toBe(201)

    const patched = await t.api.patch(
      `/api/products/${res.body.id}`,
      { pointsPrice: 55, active: false },
      v.tokens.clerk,
    )
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ pointsPrice: 55, active: false, sku: 'OIL-5L' })
    const stockIsNotPatched = await t.api.patch(`/api/products/${res.body.id}`, { stock: 99 }, v.tokens.clerk)
    expect(stockIsNotPatched.body.stock).toBe(0)
  })

  test('paging walks every product once; q searches names', async () => {
    const w = await t.village()
    for (const [sku, name] of [
      ['A1', '大米'],
      ['A2', '面粉'],
      ['A3', '大豆油'],
      ['A4', '香皂'],
      ['A5', '牙膏'],
    ]) {
      await t.api.post(`/api/villages/${w.vid}/products`, { sku, name, pointsPrice: 5 }, w.tokens.cashier)
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res: any = await t.api.get(
        `/api/villages/${w.vid}/products?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        w.tokens.cashier,
      )
      seen.push(...res.body.items.map((p: any) => p.sku))
      cursor = res.body.nextCursor
    } while (cursor)
    expect(seen).toEqual(['A1', 'A2', 'A3', 'A4', 'A5'])
    const found = await t.api.get(`/api/villages/${w.vid}/products?q=${encodeURIComponent('大')}`, w.tokens.cashier)
    expect(found.body.items.map((p: any) => p.sku)).toEqual(['A1', 'A3'])
  })

  test('prices are whole points of at least 1; an auditor cannot create products', async () => {
    for (const pointsPrice of [0, -5, 1.5, '10']) {
      const res = await t.api.post(
        `/api/villages/${v.vid}/products`,
        { sku: unique('P'), name: '毛巾', pointsPrice },
        v.tokens.cashier,
      )
      expect(res.status, String(pointsPrice)).toBe(400)
    }
    const denied = await t.api.post(
      `/api/villages/${v.vid}/products`,
      { sku: unique('P'), name: '毛巾', pointsPrice: 5 },
      v.tokens.auditor,
    )
    expect(denied.status).toBe(403)
  })
})

describe('stock receipts (donations)', () => {
  test('a receipt adds stock line by line, with donor, organisation, best-before and the points value', async () => {
    const milk = await product(t, v, { name: '牛奶', pointsPrice: 12, unit: '箱' })
    const rice = await product(t, v, { name: '大米', pointsPrice: 30, unit: '袋' })
    const res = await t.api.post(
      `/api/villages/${v.vid}/stock/receipts`,
      {
        donor: '王老板',
        donorOrg: '县供销社',
        note: '重阳节捐赠',
        items: [
          { productId: milk.id, quantity: 10, bestBefore: '2099-01-31' },
          { productId: rice.id, quantity: 4 },
          { productId: milk.id, quantity: 2, bestBefore: '2099-03-31' },
        ],
      },
      v.tokens.cashier,
    )
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      donor: '王老板',
      donorOrg: '县供销社',
      note: '重阳节捐赠',
      totalQuantity: 16,
      totalPoints: 12 * 12 + 4 * 30,
    })
    expect(res.body.items).toEqual([
      expect.objectContaining({
        productId: milk.id,
        quantity: 10,
        bestBefore: '2099-01-31',
        unitPoints: 12,
        points: 120,
      }),
      expect.objectContaining({ productId: rice.id, quantity: 4, bestBefore: null, unitPoints: 30, points: 120 }),
      expect.objectContaining({
        productId: milk.id,
        quantity: 2,
        bestBefore: '2099-03-31',
        unitPoints: 12,
        points: 24,
      }),
    ])
    expect(await stockOf(t, v, milk.id)).toBe(12)
    expect(await stockOf(t, v, rice.id)).toBe(4)

    // The receipt keeps the value the donor signed for, whatever the price becomes.
    await t.api.patch(`/api/products/${milk.id}`, { pointsPrice: 20 }, v.tokens.cashier)
    const again = await t.api.get(`/api/stock/receipts/${res.body.id}`, v.tokens.auditor)
    expect(again.body.totalPoints).toBe(12 * 12 + 4 * 30)
    const listed = await t.api.get(`/api/villages/${v.vid}/stock/receipts?month=${thisMonth()}`, v.tokens.auditor)
    expect(listed.body.items.map((r: any) => r.id)).toContain(res.body.id)
  })

  test("a receipt naming an unknown or another village's product receives nothing", async () => {
    const soap = await product(t, v)
    const w = await t.village()
    const foreign = await product(t, w)
    const before = await count(t, 'stock_moves')
    for (const productId of ['nope', foreign.id]) {
      const res = await t.api.post(
        `/api/villages/${v.vid}/stock/receipts`,
        {
          items: [
            { productId: soap.id, quantity: 5 },
            { productId, quantity: 1 },
          ],
        },
        v.tokens.cashier,
      )
      expect(res.status).toBe(404)
    }
    expect(await count(t, 'stock_moves')).toBe(before)
    expect(await stockOf(t, v, soap.id)).toBe(0)
    const bad = await t.api.post(
      `/api/villages/${v.vid}/stock/receipts`,
      { items: [{ productId: soap.id, quantity: 1, bestBefore: '2099-02-30' }] },
      v.tokens.cashier,
    )
    expect(bad.status).toBe(400)
  })
})

describe('adjustments and stocktakes', () => {
  test('an adjustment needs a reason and can never take stock below zero', async () => {
    const soap = await product(t, v, {}, 5)
    const noReason = await t.api.post(
      `/api/villages/${v.vid}/stock/adjustments`,
      { productId: soap.id, delta: -1 },
      v.tokens.cashier,
    )
    expect(noReason.status).toBe(400)
    const tooMany = await t.api.post(
      `/api/villages/${v.vid}/stock/adjustments`,
      { productId: soap.id, delta: -6, reason: '破损' },
      v.tokens.cashier,
    )
    expect(tooMany.status).toBe(422)
    expect(tooMany.body.error.code).toBe('OUT_OF_STOCK')
    expect(await stockOf(t, v, soap.id)).toBe(5)
    const ok = await t.api.post(
      `/api/villages/${v.vid}/stock/adjustments`,
      { productId: soap.id, delta: -2, reason: '受潮破损' },
      v.tokens.cashier,
    )
    expect(ok.status).toBe(201)
    expect(ok.body).toMatchObject({ quantity: -2, reason: '受潮破损', stockAfter: 3 })
    expect(await stockOf(t, v, soap.id)).toBe(3)
    expect(await movesSum(t, soap.id)).toBe(3)
  })

  test('the database itself refuses negative stock and rewritten stock moves', async () => {
    const soap = await product(t, v, {}, 2)
    expect(await refusal(t.db, 'update products set stock = -1 where id = ?', soap.id)).toMatch(/check/i)
    expect(await refusal(t.db, 'update stock_moves set quantity = 100 where product_id = ?', soap.id)).toMatch(
      /append-only/,
    )
    expect(await refusal(t.db, 'delete from stock_moves where product_id = ?', soap.id)).toMatch(/append-only/)
    expect(await stockOf(t, v, soap.id)).toBe(2)
  })

  test('a stocktake records every count and turns each difference into a stocktake move', async () => {
    const a = await product(t, v, { name: '毛巾' }, 10)
    const b = await product(t, v, { name: '牙刷' }, 4)
    const c = await product(t, v, { name: '肥皂' }, 7)
    const res = await t.api.post(
      `/api/villages/${v.vid}/stock/stocktakes`,
      {
        note: '三月盘点',
        counts: [
          { productId: a.id, counted: 8 },
          { productId: b.id, counted: 4 },
          { productId: c.id, counted: 9 },
        ],
      },
      v.tokens.cashier,
    )
    expect(res.status).toBe(201)
    expect(res.body.adjusted).toBe(2)
    const byProduct = Object.fromEntries(
      res.body.lines.map((l: any) => [l.productId, [l.expected, l.counted, l.delta]]),
    )
    expect(byProduct).toEqual({ [a.id]: [10, 8, -2], [b.id]: [4, 4, 0], [c.id]: [7, 9, 2] })
    expect([await stockOf(t, v, a.id), await stockOf(t, v, b.id), await stockOf(t, v, c.id)]).toEqual([8, 4, 9])
    for (const p of [a, b, c]) expect(await movesSum(t, p.id)).toBe(await stockOf(t, v, p.id))

    const moves = await t.api.get(
      `/api/villages/${v.vid}/stock/movements?kind=stocktake&month=${thisMonth()}`,
      v.tokens.auditor,
    )
    const ours = moves.body.items.filter((m: any) => m.stocktakeId === res.body.id)
    expect(ours.map((m: any) => [m.productId, m.quantity]).sort()).toEqual(
      [
        [a.id, -2],
        [c.id, 2],
      ].sort(),
    )
    expect(ours.every((m: any) => m.reason === '三月盘点')).toBe(true)
    const listed = await t.api.get(`/api/villages/${v.vid}/stock/stocktakes`, v.tokens.auditor)
    expect(listed.body.items[0].id).toBe(res.body.id)

    const twice = await t.api.post(
      `/api/villages/${v.vid}/stock/stocktakes`,
      {
        counts: [
          { productId: a.id, counted: 1 },
          { productId: a.id, counted: 2 },
        ],
      },
      v.tokens.cashier,
    )
    expect(twice.status).toBe(400)
  })
})

describe('stock movements', () => {
  test('listed in order for a month of the village, page by page; other months are empty; bad months are a 400', async () => {
    const w = await t.village()
    const soap = await product(t, w, { name: '香皂' }, 3)
    await t.api.post(
      `/api/villages/${w.vid}/stock/adjustments`,
      { productId: soap.id, delta: -1, reason: '样品' },
      w.tokens.cashier,
    )
    await t.api.post(
      `/api/villages/${w.vid}/stock/receipts`,
      { items: [{ productId: soap.id, quantity: 2 }] },
      w.tokens.clerk,
    )
    const first = await t.api.get(
      `/api/villages/${w.vid}/stock/movements?month=${thisMonth()}&limit=2`,
      w.tokens.auditor,
    )
    expect(first.status).toBe(200)
    expect(first.body.items.map((m: any) => [m.kind, m.quantity])).toEqual([
      ['receipt', 3],
      ['adjustment', -1],
    ])
    expect(first.body.items[0]).toMatchObject({ sku: soap.sku, name: '香皂', unitPoints: 20 })
    const rest = await t.api.get(
      `/api/villages/${w.vid}/stock/movements?month=${thisMonth()}&limit=2&cursor=${first.body.nextCursor}`,
      w.tokens.auditor,
    )
    expect(rest.body.items.map((m: any) => [m.kind, m.quantity])).toEqual([['receipt', 2]])
    expect(rest.body.nextCursor).toBeNull()
    const before = await t.api.get(
      `/api/villages/${w.vid}/stock/movements?month=${previousMonth(thisMonth())}`,
      w.tokens.auditor,
    )
    expect(before.body.items).toEqual([])
    for (const month of ['2026-13', 'soon']) {
      expect((await t.api.get(`/api/villages/${w.vid}/stock/movements?month=${month}`, w.tokens.auditor)).status).toBe(
        400,
      )
    }
    const other = await t.api.get(`/api/villages/${w.vid}/stock/movements`, v.tokens.auditor)
    expect(other.status).toBe(403)
  })
})
