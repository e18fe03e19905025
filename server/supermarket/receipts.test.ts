import { beforeAll, describe, expect, test } from 'vitest'
import { localDate } from '../../shared/time.js'
import { type TestContext, testContext } from '../../test/context.js'
import { escapeHtml } from '../http/html.js'
import { fundedHousehold, product, redeemVia, type Village } from '../../test/support/supermarket.js'

let t: TestContext
let v: Village
beforeAll(async () => {
  t = await testContext()
  v = await t.village()
})

/** The page's text as a reader sees it: tags dropped, entities decoded, whitespace squeezed. */
function visibleText(page: string): string {
  return page
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
}

describe('donation receipt (捐赠接收单)', () => {
  test('donor, items, quantities, points value, date and both signature lines; printable; all text escaped', async () => {
    const milk = await product(t, v, { name: '纯牛奶', pointsPrice: 12, unit: '箱' })
    const oil = await product(t, v, { name: '花生油<b>', pointsPrice: 55, unit: '桶' })
    const receipt = await t.api.post(
      `/api/villages/${v.vid}/stock/receipts`,
      {
        donor: '<script>alert(1)</script>',
        donorOrg: '县供销社 & 爱心企业',
        note: '重阳节',
        items: [
          { productId: milk.id, quantity: 10, bestBefore: '2099-05-01' },
          { productId: oil.id, quantity: 3 },
        ],
      },
      v.tokens.cashier,
    )
    expect(receipt.status).toBe(201)

    for (const path of [
      `/api/stock/receipts/${receipt.body.id}/print`,
      `/api/villages/${v.vid}/stock/receipts/${receipt.body.id}/print`,
    ]) {
      const res = await t.api.get(path, v.tokens.auditor)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/text\/html/)
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
      const page = res.text
      expect(page).not.toContain('<script>')
      expect(page).not.toContain('花生油<b>')
      expect(page).toContain(escapeHtml('<script>alert(1)</script>'))
      expect(page).toMatch(/@page/)
      const text = visibleText(page)
      expect(text).toContain('捐赠接收单')
      expect(text).toContain(`测试村${v.code}`)
      expect(text).toContain('<script>alert(1)</script>')
      expect(text).toContain('县供销社 & 爱心企业')
      expect(text).toContain(localDate(new Date(), 'Asia/Shanghai'))
      expect(text).toMatch(/纯牛奶 箱 10 2099-05-01 12 120/)
      expect(text).toMatch(/花生油<b> 桶 3 55 165/)
      expect(text).toMatch(/合计 13 285/)
      expect(text).toContain('捐赠方（签字/盖章）')
      expect(text).toContain('接收方（签字/盖章）')
    }
  })

  test("another village's staff cannot print it", async () => {
    const soap = await product(t, v)
    const receipt = await t.api.post(
      `/api/villages/${v.vid}/stock/receipts`,
      { items: [{ productId: soap.id, quantity: 1 }] },
      v.tokens.cashier,
    )
    const w = await t.village()
    expect((await t.api.get(`/api/stock/receipts/${receipt.body.id}/print`, w.tokens.auditor)).status).toBe(403)
    expect(
      (await t.api.get(`/api/villages/${w.vid}/stock/receipts/${receipt.body.id}/print`, w.tokens.auditor)).status,
    ).toBe(404)
  })
})

describe('redemption receipt (58 mm)', () => {
  test('village, household number, items, points spent, balance after, time and receipt number', async () => {
    const h = await fundedHousehold(t, v, 100, { householdNo: `A&${Date.now()}` })
    const soap = await product(t, v, { name: '香皂', pointsPrice: 15, unit: '块' }, 5)
    const towel = await product(t, v, { name: '毛巾', pointsPrice: 20, unit: '条' }, 5)
    const r = await redeemVia(
      t,
      v,
    )({
      householdId: h.id,
      items: [
        { productId: soap.id, quantity: 2 },
        { productId: towel.id, quantity: 1 },
      ],
    })
    expect(r.status).toBe(201)
    const res = await t.api.get(`/api/redemptions/${r.body.id}/receipt`, v.tokens.cashier)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    expect(res.text).toMatch(/size: 58mm/)
    expect(res.text).toContain(`A&amp;${h.householdNo.slice(2)}`)
    const text = visibleText(res.text)
    expect(text).toContain(`测试村${v.code}`)
    expect(text).toContain(`户号：${h.householdNo}`)
    expect(text).toContain(`单号：${r.body.receiptNo}`)
    expect(text).toMatch(/香皂 2块 × 15 30/)
    expect(text).toMatch(/毛巾 1条 × 20 20/)
    expect(text).toMatch(/消费积分 50/)
    expect(text).toMatch(/剩余积分 50/)
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(r.body.at))
    const get = (k: string) => local.find((p) => p.type === k)!.value
    expect(text).toContain(`时间：${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`)
    expect(text).not.toContain('已作废')

    await t.api.post(`/api/redemptions/${r.body.id}/void`, { reason: '顾客退货' }, v.tokens.cashier)
    const voided = visibleText((await t.api.get(`/api/redemptions/${r.body.id}/receipt`, v.tokens.cashier)).text)
    expect(voided).toContain('已作废')
    expect(voided).toContain('顾客退货')
  })
})
