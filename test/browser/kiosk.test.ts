import { join } from 'node:path'
import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cardVideo,
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
 * The counter, as a cashier uses it: a card scanned by a keyboard-wedge scanner and by the camera, a search
 * for a villager without a card, a checkout, a PIN, and a checkout whose answer is lost and retried.
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
const villagers: Villager[] = []
const products: Record<string, { id: string; pointsPrice: number; name: string }> = {}

async function balanceOf(householdId: string): Promise<number> {
  return (await g.api.ok('GET', `/api/households/${householdId}`, undefined, v.tokens.clerk)).balance
}

async function redemptionsOf(householdId: string): Promise<number> {
  return (
    await g.api.ok('GET', `/api/villages/${v.vid}/redemptions?householdId=${householdId}`, undefined, v.tokens.cashier)
  ).items.length
}

/** Points through the real procedure: a clerk proposes, an approver approves (notice days 0: posted at once). */
async function award(householdIds: string[], ruleCode: string) {
  const rules = (await g.api.ok('GET', `/api/villages/${v.vid}/rules`, undefined, v.tokens.clerk)).items
  const rule = rules.find((r: { code: string }) => r.code === ruleCode)
  const today = new Date().toISOString().slice(0, 10)
  const a = await g.api.ok(
    'POST',
    `/api/villages/${v.vid}/awards`,
    { ruleId: rule.id, householdIds, occurredOn: today },
    v.tokens.clerk,
  )
  await g.api.ok('POST', `/api/awards/${a.id}/approve`, {}, v.tokens.approver)
}

async function cashierPage(b: Browser, viewport: { width: number; height: number } = VIEWPORTS[0]): Promise<Page> {
  const page = await b.newPage({ viewport })
  await logIn(page, g.base, v.logins.cashier!)
  await page.waitForURL('**/kiosk')
  await page.locator('.scanner-ready').waitFor() // the scan listener is on once the scan screen shows
  return page
}

/** What a USB scanner does: the code, a few milliseconds a key, then Enter. */
async function scanWithScanner(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 4 })
  await page.keyboard.press('Enter')
}

const balanceShown = async (page: Page) => Number((await page.getByTestId('balance').innerText()).replace(/\D/g, ''))

describe.skipIf(!hasChromium)('counter kiosk in Chromium', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    g = await startGongyi()
    v = await setUpVillage(g.api)
    await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/rules`,
      { code: 'CLEAN', name: '门前三包', category: '环境卫生', points: 50 },
      v.tokens.clerk,
    )
    await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/rules`,
      { code: 'HELP', name: '助老', category: '邻里互助', points: 5 },
      v.tokens.clerk,
    )
    const people = [
      { householdNo: '001', headName: '张桂兰' },
      { householdNo: '002', headName: '李建国' },
      { householdNo: '003', headName: '王秀英', pin: '2468' },
    ]
    for (const p of people) {
      const h = await g.api.ok('POST', `/api/villages/${v.vid}/households`, p, v.tokens.clerk)
      const card = await g.api.ok('POST', `/api/households/${h.id}/cards`, {}, v.tokens.clerk)
      villagers.push({ id: h.id, headName: h.headName, householdNo: h.householdNo, code: card.code })
    }
    await award([villagers[0]!.id, villagers[2]!.id], 'CLEAN') // 50 each
    await award([villagers[1]!.id], 'HELP') // 5
    for (const [sku, name, category, pointsPrice, barcode] of [
      ['RICE', '东北大米', '粮油', 30, '6901234567892'],
      ['SOAP', '洗衣皂', '日用品', 4, null],
      ['SALT', '食盐', '调味品', 3, null],
    ] as const) {
      const p = await g.api.ok(
        'POST',
        `/api/villages/${v.vid}/products`,
        { sku, name, category, pointsPrice, barcode, unit: '个' },
        v.tokens.cashier,
      )
      products[sku] = p
    }
    await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/stock/receipts`,
      {
        donor: '县供销社',
        items: Object.values(products).map((p) => ({ productId: p.id, quantity: 20 })),
      },
      v.tokens.cashier,
    )
    browser = await launch(['--use-fake-ui-for-media-stream'])
  })

  afterAll(async () => {
    await browser?.close()
    await g?.stop()
  })

  it('takes a card from a keyboard scanner anywhere on the screen, but not a person typing', async () => {
    const page = await cashierPage(browser)
    const resolves: Request[] = []
    page.on('request', (r) => r.url().includes('/cards/resolve') && resolves.push(r))
    await screenshot(page, 'kiosk-scan')

    // A person typing at 150 ms a key is not a scanner.
    await page.keyboard.type(villagers[0]!.code.slice(0, 12), { delay: 150 })
    await page.keyboard.press('Enter')
    await page.waitForTimeout(300)
    expect(resolves).toHaveLength(0)
    await expect(page.getByTestId('head-name').count()).resolves.toBe(0)

    // The search box has focus: the scanner's burst still counts as a scan and is taken back out of the box.
    await page.getByRole('searchbox').click()
    await scanWithScanner(page, villagers[0]!.code)
    await expect
      .poll(() =>
        page
          .getByTestId('head-name')
          .innerText()
          .catch(() => ''),
      )
      .toBe('张桂兰')
    expect(await balanceShown(page)).toBe(50)
    expect(resolves).toHaveLength(1)
    await page.close()
  })

  it('checks out: cart with totals, confirm, the new balance, the receipt; the next villager starts clean', async () => {
    const before = await balanceOf(villagers[0]!.id)
    const page = await cashierPage(browser)
    await scanWithScanner(page, villagers[0]!.code)
    await page.getByTestId('head-name').waitFor()

    await page.locator(`.tile[data-product="${products.SOAP!.id}"]`).click()
    await page.locator(`.tile[data-product="${products.SOAP!.id}"]`).click()
    // A product's barcode through the same scanner adds it to the cart.
    await scanWithScanner(page, '6901234567892')
    await expect.poll(() => page.locator('.cart-line').count()).toBe(2)
    await expect(page.getByTestId('cart-total').innerText()).resolves.toContain('38')
    await screenshot(page, 'kiosk-cart')

    await page.getByRole('button', { name: '确认兑换' }).click()
    await expect
      .poll(() =>
        page
          .getByTestId('balance-after')
          .innerText()
          .catch(() => ''),
      )
      .toBe(String(before - 38))
    expect(await balanceOf(villagers[0]!.id)).toBe(before - 38)
    await screenshot(page, 'kiosk-done')

    const [receipt] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: '打印小票' }).click(),
    ])
    await receipt.waitForLoadState()
    await expect
      .poll(() =>
        receipt
          .locator('body')
          .innerText()
          .catch(() => ''),
      )
      .toContain('剩余积分')
    expect(await receipt.locator('body').innerText()).toContain(String(before - 38))
    await receipt.close()

    await page.getByRole('button', { name: '下一位' }).first().click()
    await page.locator('.scanner-ready').waitFor()
    expect(await page.getByTestId('head-name').count()).toBe(0)
    expect(await page.locator('.cart-line').count()).toBe(0)
    await page.close()
  })

  it('says before confirming that the points are short, and the next scan replaces the previous household', async () => {
    const page = await cashierPage(browser)
    await scanWithScanner(page, villagers[0]!.code)
    await page.getByTestId('head-name').waitFor()
    await page.locator(`.tile[data-product="${products.SALT!.id}"]`).click()
    // Another card while the first household's cart is open: everything of the first goes.
    await scanWithScanner(page, villagers[1]!.code)
    await expect.poll(() => page.getByTestId('head-name').innerText()).toBe('李建国')
    expect(await page.locator('.cart-line').count()).toBe(0)
    expect(await balanceShown(page)).toBe(5)
    await page.locator(`.tile[data-product="${products.RICE!.id}"]`).click()
    await expect(page.getByTestId('short-points').innerText()).resolves.toContain('25')
    expect(await page.getByRole('button', { name: '确认兑换' }).isDisabled()).toBe(true)
    await screenshot(page, 'kiosk-short')
    await page.close()
  })

  it('retries a checkout whose answer was lost with the same key, and charges once', async () => {
    const h = villagers[0]!
    const before = await balanceOf(h.id)
    const sales = await redemptionsOf(h.id)
    const page = await cashierPage(browser)
    const keys: string[] = []
    let dropped = false
    await page.route('**/redemptions', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '')
      if (dropped) return route.continue()
      dropped = true
      await route.fetch() // the server takes the sale ...
      await route.abort('connectionreset') // ... and the answer is lost on the way back
    })
    await scanWithScanner(page, h.code)
    await page.getByTestId('head-name').waitFor()
    await page.locator(`.tile[data-product="${products.SALT!.id}"]`).click()
    await page.getByRole('button', { name: '确认兑换' }).click()
    await page.getByTestId('checkout-unknown').waitFor()
    await screenshot(page, 'kiosk-retry')
    // Nothing else may happen at the counter until the outcome is known.
    expect(await page.getByRole('button', { name: '确认兑换' }).count()).toBe(0)

    await page.getByRole('button', { name: /重试这笔结算/ }).click()
    await expect
      .poll(() =>
        page
          .getByTestId('balance-after')
          .innerText()
          .catch(() => ''),
      )
      .toBe(String(before - 3))
    expect(keys).toHaveLength(2)
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(keys[1]).toBe(keys[0])
    expect(await balanceOf(h.id)).toBe(before - 3)
    expect(await redemptionsOf(h.id)).toBe(sales + 1)
    await page.close()
  })

  it('finds a villager without a card by pinyin initials, and asks for the PIN', async () => {
    const h = villagers[2]!
    const before = await balanceOf(h.id)
    const page = await cashierPage(browser)
    await page.getByRole('searchbox').fill('wxy')
    await page.locator('.search-hit', { hasText: '王秀英' }).click()
    await page.getByTestId('head-name').waitFor()
    await expect.poll(() => page.getByText('这户设了密码').count()).toBe(1)
    await page.locator(`.tile[data-product="${products.SOAP!.id}"]`).click()
    await page.getByRole('button', { name: '确认兑换' }).click()

    const pad = page.getByRole('dialog')
    for (const d of '1111') await pad.getByRole('button', { name: d, exact: true }).click()
    await pad.getByRole('button', { name: '确定' }).click()
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('密码不对')
    await screenshot(page, 'kiosk-pin')
    expect(await balanceOf(h.id)).toBe(before)
    for (const d of '2468') await page.getByRole('dialog').getByRole('button', { name: d, exact: true }).click()
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click()
    await expect
      .poll(() =>
        page
          .getByTestId('balance-after')
          .innerText()
          .catch(() => ''),
      )
      .toBe(String(before - 4))
    expect(await balanceOf(h.id)).toBe(before - 4)
    await page.close()
  })

  it('reads a card held up to the camera', async () => {
    const h = villagers[1]!
    const video = join(g.dir, 'card.y4m')
    cardVideo(h.code, video)
    const camBrowser = await launch([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ])
    try {
      const page = await camBrowser.newPage({ viewport: VIEWPORTS[0] })
      const wasm: string[] = []
      page.on('request', (r: Request) => r.url().endsWith('.wasm') && wasm.push(r.url()))
      await logIn(page, g.base, v.logins.cashier!)
      await expect
        .poll(
          () =>
            page
              .getByTestId('head-name')
              .innerText()
              .catch(() => ''),
          { timeout: 20_000 },
        )
        .toBe('李建国')
      expect(await balanceShown(page)).toBe(await balanceOf(h.id))
      // Which reader did it: the browser's BarcodeDetector, else zxing-wasm (Chromium on Linux has none).
      const native = await page.evaluate(() => 'BarcodeDetector' in window)
      if (!native) expect(wasm).toHaveLength(1)
      await page.close()
    } finally {
      await camBrowser.close()
    }
  })

  it('fits the counter tablet and the office PC', async () => {
    for (const viewport of VIEWPORTS) {
      const page = await cashierPage(browser, viewport)
      await scanWithScanner(page, villagers[0]!.code)
      await page.getByTestId('head-name').waitFor()
      await page.locator(`.tile[data-product="${products.SALT!.id}"]`).click()
      // The confirm button is on screen without scrolling, and nothing spills sideways.
      const box = await page.getByRole('button', { name: '确认兑换' }).boundingBox()
      expect(box).not.toBeNull()
      expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width)
      await screenshot(page, 'kiosk-counter')
      await page.close()
    }
  })
})
