import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectChineseOnly, expectOnScreen } from './field-helpers.js'
import {
  type Gongyi,
  hasChromium,
  launch,
  logIn,
  screenshot,
  setUpVillage,
  startGongyi,
  type VillageSetup,
  VIEWPORTS,
} from './harness.js'

/*
 * Issue 17, done when: a queue of ten villagers served at the 1024×600 counter tablet, one after another on the
 * same page (no reload), through every error state the field trial met — points short, stock taken by another
 * counter, PIN wrong and locked, a suspended household, the network down at a scan, a slow Bluetooth scanner, a
 * household found through a member — checking at each step that the confirm / next buttons are wholly on the
 * screen, that the words are Chinese only, and that the counter recovers to serve the next villager.
 */

interface Villager {
  id: string
  headName: string
  householdNo: string
  code: string
}

let g: Gongyi
let v: VillageSetup
let browser: Browser
const TABLET = VIEWPORTS[0]
const SKUS = ['RICE', 'SOAP', 'SALT', 'OIL', 'TEA']
const products: Record<string, { id: string }> = {}
const q: Villager[] = []

async function addHousehold(fields: Record<string, unknown>): Promise<Villager> {
  const h = await g.api.ok('POST', `/api/villages/${v.vid}/households`, fields, v.tokens.clerk)
  const card = await g.api.ok('POST', `/api/households/${h.id}/cards`, {}, v.tokens.clerk)
  return { id: h.id, headName: h.headName, householdNo: h.householdNo, code: card.code }
}

const balanceOf = async (id: string): Promise<number> =>
  (await g.api.ok('GET', `/api/households/${id}`, undefined, v.tokens.clerk)).balance
const tile = (page: Page, sku: string) => page.locator(`.tile[data-product="${products[sku]!.id}"]`)
const line = (page: Page, sku: string) => page.locator(`.cart-line[data-product="${products[sku]!.id}"]`)
/** Another counter sells to the same household (or takes the last of a product) while this one waits. */
const otherCounter = (code: string, sku: string) =>
  g.api.ok(
    'POST',
    `/api/villages/${v.vid}/redemptions`,
    { cardCode: code, items: [{ productId: products[sku]!.id, quantity: 1 }] },
    v.tokens.cashier,
    {
      'idempotency-key': crypto.randomUUID(),
    },
  )

async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 4 })
  await page.keyboard.press('Enter')
}

async function shown(page: Page, who: Villager) {
  await expect
    .poll(() =>
      page
        .getByTestId('head-name')
        .innerText()
        .catch(() => ''),
    )
    .toBe(who.headName)
}

/** Fit and language, the two checks every state of the counter must pass. */
async function check(page: Page, state: string, buttons: string[] = ['确认兑换', '下一位']) {
  await expectOnScreen(page, buttons)
  await expectChineseOnly(page, SKUS, state)
  await screenshot(page, `queue-${state}`)
}

async function pin(page: Page, digits: string) {
  const pad = page.getByRole('dialog')
  for (const d of digits) await pad.getByRole('button', { name: d, exact: true }).click()
  await pad.getByRole('button', { name: '确定' }).click()
}

/** Confirms and waits for the sale's balance after; then 下一位, back to the scanner. */
async function sold(page: Page, who: Villager, spent: number, before: number, withPin?: string) {
  await page.getByRole('button', { name: '确认兑换' }).click()
  if (withPin) await pin(page, withPin)
  await expect
    .poll(() =>
      page
        .getByTestId('balance-after')
        .innerText()
        .catch(() => ''),
    )
    .toBe(String(before - spent))
  expect(await balanceOf(who.id)).toBe(before - spent)
  await check(page, `sold-${who.householdNo}`, ['下一位'])
  await page.getByRole('button', { name: '下一位' }).first().click()
  await page.locator('.scanner-ready').waitFor()
}

describe.skipIf(!hasChromium)(
  'issue 17: a queue of ten villagers through every error state at 1024×600',
  { timeout: 300_000 },
  () => {
    beforeAll(async () => {
      g = await startGongyi()
      v = await setUpVillage(g.api)
      const rule = await g.api.ok(
        'POST',
        `/api/villages/${v.vid}/rules`,
        { code: 'CLEAN', name: '门前三包', category: '环境卫生', points: 50 },
        v.tokens.clerk,
      )
      const people: Record<string, unknown>[] = [
        { householdNo: 'Q01', headName: '张桂兰' },
        { householdNo: 'Q02', headName: '李建国' },
        { householdNo: 'Q03', headName: '王秀英' },
        { householdNo: 'Q04', headName: '赵大海', pin: '1357' },
        { householdNo: 'Q05', headName: '孙小红', pin: '2468' },
        { householdNo: 'Q06', headName: '周六福' },
        { householdNo: 'Q07', headName: '吴七妹' },
        { householdNo: 'Q08', headName: '郑八斤' },
        { householdNo: 'Q09', headName: '冯九成', pin: '1111', members: [{ name: '冯小燕', relation: '孙女' }] },
        { householdNo: 'Q10', headName: '陈十全' },
      ]
      for (const p of people) q.push(await addHousehold(p))
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
      const award = await g.api.ok(
        'POST',
        `/api/villages/${v.vid}/awards`,
        { ruleId: rule.id, householdIds: q.map((x) => x.id), occurredOn: today },
        v.tokens.clerk,
      )
      await g.api.ok('POST', `/api/awards/${award.id}/approve`, {}, v.tokens.approver)
      const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
      await g.api.ok(
        'POST',
        `/api/households/${q[5]!.id}/suspension`,
        { until, reason: '违规占道经营' },
        v.tokens.approver,
      )
      for (const [sku, name, pointsPrice, stock] of [
        ['RICE', '东北大米', 30, 50],
        ['SOAP', '洗衣皂', 4, 50],
        ['SALT', '食盐', 3, 50],
        ['OIL', '花生油', 8, 1],
        ['TEA', '绿茶', 1, 50],
      ] as const) {
        products[sku] = await g.api.ok(
          'POST',
          `/api/villages/${v.vid}/products`,
          { sku, name, category: '日用品', pointsPrice, unit: '个' },
          v.tokens.cashier,
        )
        await g.api.ok(
          'POST',
          `/api/villages/${v.vid}/stock/receipts`,
          { donor: '县供销社', items: [{ productId: products[sku]!.id, quantity: stock }] },
          v.tokens.cashier,
        )
      }
      browser = await launch()
    })

    afterAll(async () => {
      await browser?.close()
      await g?.stop()
    })

    it('serves all ten on one page, each error state fitting the screen in Chinese, each followed by a sale', async () => {
      const page = await browser.newPage({ viewport: TABLET })
      await logIn(page, g.base, v.logins.cashier!)
      await page.waitForURL('**/kiosk')
      await page.locator('.scanner-ready').waitFor()
      await check(page, 'ready', [])
      const [a, b, c, d, e, f, gg, h, i, j] = q as [
        Villager,
        Villager,
        Villager,
        Villager,
        Villager,
        Villager,
        Villager,
        Villager,
        Villager,
        Villager,
      ]

      // 1. A plain sale.
      await scan(page, a.code)
      await shown(page, a)
      await tile(page, 'SOAP').click()
      await check(page, 'cart')
      await sold(page, a, 4, 50)

      // 2. Points short: another counter spends first; the refusal fits and is Chinese; take the rice out, sell.
      await scan(page, b.code)
      await shown(page, b)
      for (const sku of ['RICE', 'SOAP', 'SALT']) await tile(page, sku).click()
      await otherCounter(b.code, 'RICE')
      await page.getByRole('button', { name: '确认兑换' }).click()
      await page.locator('[data-code="INSUFFICIENT_POINTS"]').waitFor()
      await check(page, 'points-short')
      await line(page, 'RICE').getByRole('button', { name: '减少' }).click()
      await sold(page, b, 7, 20)

      // 3. Stock taken: the last oil goes at another counter; take it out, sell the rest.
      await scan(page, c.code)
      await shown(page, c)
      for (const sku of ['OIL', 'SOAP']) await tile(page, sku).click()
      await otherCounter(j.code, 'OIL')
      await page.getByRole('button', { name: '确认兑换' }).click()
      await page.locator('[data-code="OUT_OF_STOCK"]').waitFor()
      await check(page, 'stock-taken')
      await line(page, 'OIL').getByRole('button', { name: '减少' }).click()
      await sold(page, c, 4, 50)

      // 4. A wrong PIN says the tries left; the right one sells.
      await scan(page, d.code)
      await shown(page, d)
      await tile(page, 'TEA').click()
      await page.getByRole('button', { name: '确认兑换' }).click()
      await pin(page, '0000')
      await expect.poll(() => page.getByRole('dialog').innerText()).toContain('还可以再试 4 次')
      await check(page, 'pin-wrong', ['确定', '取消'])
      await page.getByRole('dialog').getByRole('button', { name: '取消' }).click()
      await sold(page, d, 1, 50, '1357')

      // 5. Five wrong PINs lock the household until a time; confirm is off; 下一位 serves the next.
      await scan(page, e.code)
      await shown(page, e)
      await tile(page, 'TEA').click()
      await page.getByRole('button', { name: '确认兑换' }).click()
      for (let n = 0; n < 5; n++) {
        await pin(page, '9999')
        if (n < 4) await expect.poll(() => page.getByRole('dialog').innerText()).toContain(`还可以再试 ${4 - n} 次`)
      }
      await page.getByTestId('pin-locked').waitFor()
      expect(await page.getByTestId('pin-locked').innerText()).toMatch(/锁定到 \d{2}:\d{2}/)
      expect(await page.getByRole('button', { name: '确认兑换' }).isDisabled()).toBe(true)
      await check(page, 'pin-locked')
      expect(await balanceOf(e.id)).toBe(50)
      await page.getByRole('button', { name: '下一位' }).first().click()
      await page.locator('.scanner-ready').waitFor()

      // 6. Suspended: the reason and the end date, and why goods cannot be added.
      await scan(page, f.code)
      await shown(page, f)
      await expect
        .poll(() =>
          page
            .getByTestId('suspended')
            .innerText()
            .catch(() => ''),
        )
        .toMatch(/\d{4}-\d{2}-\d{2}.*违规占道经营/)
      await tile(page, 'SOAP').click()
      await expect
        .poll(() =>
          page
            .locator('.flash')
            .innerText()
            .catch(() => ''),
        )
        .toContain('暂停期间不能兑换')
      expect(await page.locator('.cart-line').count()).toBe(0)
      await check(page, 'suspended')
      await page.getByRole('button', { name: '下一位' }).first().click()
      await page.locator('.scanner-ready').waitFor()

      // 7. The network down at a scan: blamed on the network, not the card; back up, the card is read and sold to.
      await page.route('**/cards/resolve', (route) => route.abort('internetdisconnected'))
      await scan(page, gg.code.slice(0, -1) + (gg.code.endsWith('A') ? 'B' : 'A'))
      await expect
        .poll(() =>
          page
            .locator('.flash')
            .innerText()
            .catch(() => ''),
        )
        .toContain('网络断了')
      expect(await page.locator('.flash').innerText()).not.toContain('没有认出')
      await expectChineseOnly(page, SKUS, 'network-down')
      await screenshot(page, 'queue-network-down')
      await page.unroute('**/cards/resolve')
      await scan(page, gg.code)
      await shown(page, gg)
      await tile(page, 'SALT').click()
      await sold(page, gg, 3, 50)

      // 8. A slow Bluetooth scanner, 60 ms a key (timed inside the page): still a scan.
      await page.evaluate(async (code) => {
        for (const key of [...code, 'Enter']) {
          window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))
          await new Promise((r) => setTimeout(r, 60))
        }
      }, h.code)
      await expect
        .poll(
          () =>
            page
              .getByTestId('head-name')
              .innerText()
              .catch(() => ''),
          { timeout: 20_000 },
        )
        .toBe(h.headName)
      await tile(page, 'SOAP').click()
      await sold(page, h, 4, 50)

      // 9. No card: found through a member's name, the member named; the PIN stands in for the card.
      await page.getByRole('searchbox').fill('冯小燕')
      const hit = page.locator('.search-hit', { hasText: '冯九成' })
      await hit.waitFor()
      expect(await hit.getByTestId('matched-member').innerText()).toBe('（成员 冯小燕）')
      await check(page, 'search-member', [])
      await hit.click()
      await shown(page, i)
      await tile(page, 'TEA').click()
      await sold(page, i, 1, 50, '1111')

      // 10. The last of the queue: its 8 points went on oil at "another counter" in step 3.
      await scan(page, j.code)
      await shown(page, j)
      await tile(page, 'RICE').click()
      await check(page, 'last')
      await sold(page, j, 30, 42)
      await page.close()
    })
  },
)
