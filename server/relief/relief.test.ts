import { beforeAll, describe, expect, test } from 'vitest'
import { localDate } from '../../shared/time.js'
import { type TestContext, testContext, unique } from '../../test/context.js'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

async function shelf(v: { vid: string; tokens: Record<string, string> }, name: string, stock: number, unit = '袋') {
  const p = (
    await t.api.post(
      `/api/villages/${v.vid}/products`,
      { sku: unique('R'), name, unit, pointsPrice: 30 },
      v.tokens.cashier,
    )
  ).body
  await t.api.post(
    `/api/villages/${v.vid}/stock/receipts`,
    { donor: '县民政局', items: [{ productId: p.id, quantity: stock }] },
    v.tokens.cashier,
  )
  return p.id as string
}

const stockOf = async (v: { tokens: Record<string, string> }, pid: string) =>
  (await t.api.get(`/api/products/${pid}`, v.tokens.cashier)).body.stock

describe('the relief shelf (阳光超市, issue 18)', () => {
  test('to all of a category: stock goes out, no points move, each share recorded, the sheet has a line per household', async () => {
    const v = await t.village()
    const rice = await shelf(v, '大米10斤', 10)
    const oil = await shelf(v, '食用油', 10, '桶')
    const a = await t.household(v.vid, v.tokens.clerk!, { householdNo: 'D01', headName: '王桂兰', tags: ['低保'] })
    const b = await t.household(v.vid, v.tokens.clerk!, {
      householdNo: 'D02',
      headName: '李德福',
      tags: ['低保', '残疾'],
    })
    const c = await t.household(v.vid, v.tokens.clerk!, { householdNo: 'D03', headName: '赵有田' })
    await t.api.post(`/api/households/${a.id}/adjustments`, { amount: 20, reason: '期初' }, v.tokens.approver)

    const res = await t.api.post(
      `/api/villages/${v.vid}/relief`,
      {
        items: [
          { productId: rice, quantity: 2 },
          { productId: oil, quantity: 1 },
        ],
        tag: '低保',
        note: '春节慰问',
      },
      v.tokens.cashier,
    )
    expect(res.status).toBe(201)
    expect(res.body.households.map((h: any) => h.householdNo)).toEqual(['D01', 'D02'])
    expect(res.body.householdCount).toBe(2)
    expect(res.body.items.map((i: any) => [i.name, i.quantity, i.total])).toEqual(
      expect.arrayContaining([
        ['大米10斤', 2, 4],
        ['食用油', 1, 2],
      ]),
    )
    expect(await stockOf(v, rice)).toBe(6)
    expect(await stockOf(v, oil)).toBe(8)
    // no points moved: balances and the ledger as they were, the chain still verifies
    expect((await t.api.get(`/api/households/${b.id}`, v.tokens.clerk)).body.balance).toBe(0)
    expect((await t.api.get(`/api/households/${b.id}/ledger`, v.tokens.clerk)).body.entries).toEqual([])
    expect((await t.api.get(`/api/villages/${v.vid}/ledger/verify`, v.tokens.auditor)).body.ok).toBe(true)
    const moves = (await t.api.get(`/api/villages/${v.vid}/stock/movements?kind=relief`, v.tokens.auditor)).body.items
    expect(moves.map((m: any) => m.quantity).sort()).toEqual([-2, -4])

    const sheet = await t.api.get(`/api/relief/${res.body.id}/sheet`, v.tokens.clerk)
    expect(sheet.status).toBe(200)
    expect(sheet.headers.get('content-type')).toContain('text/html')
    expect(sheet.text).toContain('救助物资签领表')
    expect(sheet.text).toContain('签名或手印')
    expect(sheet.text.match(/<td class="sign"><\/td>/g)).toHaveLength(2)
    expect(sheet.text).toContain('李德福')
    expect(sheet.text).not.toContain('赵有田')
    expect(sheet.text).toContain('大米10斤 4袋')

    // listed households, and the list of distributions newest first
    const listed = await t.api.post(
      `/api/villages/${v.vid}/relief`,
      { items: [{ productId: rice, quantity: 1 }], householdIds: [c.id, c.id], note: '因灾临时救助' },
      v.tokens.clerk,
    )
    expect(listed.status).toBe(201)
    expect(listed.body.households.map((h: any) => h.headName)).toEqual(['赵有田'])
    const list = (await t.api.get(`/api/villages/${v.vid}/relief`, v.tokens.auditor)).body
    expect(list.items.map((d: any) => d.note)).toEqual(['因灾临时救助', '春节慰问'])

    // the monthly relief report, and the monthly export carries it
    const month = localDate(new Date(), 'Asia/Shanghai').slice(0, 7)
    const report = (await t.api.get(`/api/villages/${v.vid}/relief/report?month=${month}`, v.tokens.auditor)).body
    expect([report.distributions, report.households]).toEqual([2, 3])
    expect(report.byProduct.find((p: any) => p.name === '大米10斤')).toMatchObject({ quantity: 5, points: 150 })
    expect(report.byTag).toEqual(
      expect.arrayContaining([
        { tag: '低保', households: 2 },
        { tag: '残疾', households: 1 },
      ]),
    )
    const csv = await t.app.request(`/api/villages/${v.vid}/relief/report?month=${month}&format=csv`, {
      headers: { authorization: `Bearer ${v.tokens.auditor}` },
    })
    const bytes = Buffer.from(await csv.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]) // Excel reads the Chinese right only with the BOM
    const csvLines = bytes.toString('utf8').slice(1).trim().split('\r\n')
    expect(csvLines[0]).toBe('日期,事由,户号,户主,类别,物资,单位,数量,单价(积分)')
    expect(csvLines).toHaveLength(1 + 5)
    const page = await t.api.get(`/api/villages/${v.vid}/relief/report?month=${month}&format=html`, v.tokens.clerk)
    expect(page.text).toContain('阳光超市救助月报')
    const exported = (
      await t.api.get(`/api/villages/${v.vid}/exports/monthly?month=${month}&format=json`, v.tokens.auditor)
    ).body
    expect(exported.relief).toHaveLength(5)
    expect(exported.totals.redeemed).toBe(0)
  })

  test('not enough stock for every household: 422 OUT_OF_STOCK and nothing is given', async () => {
    const v = await t.village()
    const rice = await shelf(v, '大米', 3)
    const hs = []
    for (let i = 0; i < 4; i++) hs.push((await t.household(v.vid, v.tokens.clerk!, { tags: ['五保'] })).id)
    const res = await t.api.post(
      `/api/villages/${v.vid}/relief`,
      { items: [{ productId: rice, quantity: 1 }], tag: '五保', note: '重阳节' },
      v.tokens.clerk,
    )
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('OUT_OF_STOCK')
    expect(await stockOf(v, rice)).toBe(3)
    expect((await t.api.get(`/api/villages/${v.vid}/relief`, v.tokens.clerk)).body.items).toEqual([])
  })

  test('refusals: no household in the category, both or neither of householdIds and tag, another village, the wrong role', async () => {
    const v = await t.village()
    const rice = await shelf(v, '大米', 5)
    const h = await t.household(v.vid, v.tokens.clerk!)
    const give = (body: unknown, token = v.tokens.clerk) => t.api.post(`/api/villages/${v.vid}/relief`, body, token)
    const items = [{ productId: rice, quantity: 1 }]
    expect((await give({ items, tag: '零就业', note: 'x' })).status).toBe(400)
    expect((await give({ items, tag: '低保', householdIds: [h.id], note: 'x' })).status).toBe(400)
    expect((await give({ items, note: 'x' })).status).toBe(400)
    expect((await give({ items, householdIds: [h.id] })).status).toBe(400) // a note is required
    expect((await give({ items, householdIds: [h.id], note: 'x' }, v.tokens.auditor)).status).toBe(403)
    const w = await t.village()
    const theirs = await t.household(w.vid, w.tokens.clerk!)
    const foreign = await give({ items, householdIds: [h.id, theirs.id], note: 'x' })
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'NOT_FOUND'])
    expect(
      (await t.api.post(`/api/villages/${v.vid}/relief`, { items, householdIds: [h.id], note: 'x' }, w.tokens.clerk))
        .status,
    ).toBe(403)
    expect(await stockOf(v, rice)).toBe(5)
    const ok = await give({ items, householdIds: [h.id], note: '走访' })
    expect((await t.api.get(`/api/relief/${ok.body.id}`, w.tokens.auditor)).status).toBe(403)
    expect((await t.api.get(`/api/relief/${ok.body.id}/sheet`, w.tokens.auditor)).status).toBe(403)
  })
})
