import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  type Gongyi,
  hasChromium,
  logIn,
  setUpVillage,
  startGongyi,
  type VillageSetup,
  VIEWPORTS,
} from './harness.js'

/*
 * The counter without the network, on a tablet-like browser: a persistent profile (IndexedDB and the service
 * worker survive a reload and a browser restart), the network cut both ways (context offline, and every request
 * aborted), 20 sales to 5 households across a reload and a restart, then the network back: each sale posted
 * exactly once, balances and stock right, the ledger verified.
 */

let g: Gongyi
let v: VillageSetup
const households: { id: string; code: string }[] = []
let productId = ''

async function tablet(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORTS[0],
  })
}

async function cutNetwork(ctx: BrowserContext, off: boolean) {
  await ctx.setOffline(off)
  if (off) await ctx.route('**/*', (route) => route.abort('internetdisconnected'))
  else await ctx.unroute('**/*')
}

async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 4 })
  await page.keyboard.press('Enter')
}

async function sellOffline(page: Page, code: string) {
  await page.locator('.scanner-ready').waitFor()
  await scan(page, code)
  await page.getByTestId('allowance').waitFor()
  await page.locator(`.tile[data-product="${productId}"]`).click()
  await page.getByRole('button', { name: '确认兑换' }).click()
  await page.getByTestId('offline-done').waitFor()
  await page.getByRole('button', { name: '下一位' }).last().click()
}

describe.skipIf(!hasChromium)('the counter offline', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    g = await startGongyi()
    v = await setUpVillage(g.api)
    const p = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/products`,
      { sku: 'SOAP', name: '洗衣皂', pointsPrice: 2 },
      v.tokens.cashier,
    )
    productId = p.id
    await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/stock/receipts`,
      { donor: '县供销社', items: [{ productId, quantity: 100 }] },
      v.tokens.cashier,
    )
    await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/rules`,
      { code: 'CLEAN', name: '门前三包', category: '环境卫生', points: 30 },
      v.tokens.clerk,
    )
    const rule = (await g.api.ok('GET', `/api/villages/${v.vid}/rules`, undefined, v.tokens.clerk)).items.find(
      (r: any) => r.code === 'CLEAN',
    )
    for (let i = 0; i < 5; i++) {
      const h = await g.api.ok(
        'POST',
        `/api/villages/${v.vid}/households`,
        { householdNo: `10${i}`, headName: `户主${i}` },
        v.tokens.clerk,
      )
      const card = await g.api.ok('POST', `/api/households/${h.id}/cards`, {}, v.tokens.clerk)
      households.push({ id: h.id, code: card.code })
    }
    const a = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/awards`,
      { ruleId: rule.id, householdIds: households.map((h) => h.id), occurredOn: new Date().toISOString().slice(0, 10) },
      v.tokens.clerk,
    )
    await g.api.ok('POST', `/api/awards/${a.id}/approve`, {}, v.tokens.approver)
  })

  afterAll(async () => {
    await g?.stop()
  })

  it('serves 20 sales to 5 households offline across a reload and a browser restart, and posts each once when the network returns', async () => {
    const dir = mkdtempSync(join(g.dir, 'tablet-'))
    let ctx = await tablet(dir)
    let page = ctx.pages()[0] ?? (await ctx.newPage())
    await logIn(page, g.base, v.logins.cashier!)
    await page.waitForURL('**/kiosk')
    await page.locator('.scanner-ready').waitFor()
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true))
    // The snapshot is taken while online.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const dbs = await indexedDB.databases()
          return dbs.some((d) => d.name === 'gongyi-counter')
        }),
      )
      .toBe(true)
    await page.waitForTimeout(1500)

    await cutNetwork(ctx, true)
    let sold = 0
    for (let i = 0; i < 8; i++, sold++) await sellOffline(page, households[i % 5]!.code)
    await expect.poll(() => page.getByTestId('waiting').innerText()).toContain('8')

    // A reload with no network: the service worker opens the app, IndexedDB still holds the sales.
    await page.reload()
    await page.locator('.scanner-ready').waitFor()
    await expect.poll(() => page.getByTestId('waiting').innerText()).toContain('8')
    for (let i = 8; i < 14; i++, sold++) await sellOffline(page, households[i % 5]!.code)

    // The browser closed and opened again, still offline.
    await ctx.close()
    ctx = await tablet(dir)
    await cutNetwork(ctx, true)
    page = ctx.pages()[0] ?? (await ctx.newPage())
    await page.goto(`${g.base}/kiosk`)
    await page.locator('.scanner-ready').waitFor()
    await expect.poll(() => page.getByTestId('waiting').innerText()).toContain('14')
    for (let i = 14; i < 20; i++, sold++) await sellOffline(page, households[i % 5]!.code)
    await expect.poll(() => page.getByTestId('waiting').innerText()).toContain('20')
    // Nothing reached the server.
    expect(
      (await g.api.ok('GET', `/api/villages/${v.vid}/redemptions`, undefined, v.tokens.cashier)).items,
    ).toHaveLength(0)

    await cutNetwork(ctx, false)
    await expect.poll(() => page.getByTestId('offline-bar').count(), { timeout: 60_000 }).toBe(0)
    const sales = (await g.api.ok('GET', `/api/villages/${v.vid}/redemptions?limit=100`, undefined, v.tokens.cashier))
      .items
    expect(sales).toHaveLength(sold)
    for (const h of households) {
      const body = await g.api.ok('GET', `/api/households/${h.id}`, undefined, v.tokens.clerk)
      expect(body.balance).toBe(30 - 4 * 2)
    }
    const p = (await g.api.ok('GET', `/api/villages/${v.vid}/products`, undefined, v.tokens.cashier)).items.find(
      (x: any) => x.id === productId,
    )
    expect(p.stock).toBe(100 - 20)
    expect((await g.api.ok('GET', `/api/villages/${v.vid}/ledger/verify`, undefined, v.tokens.auditor)).ok).toBe(true)
    expect(
      (await g.api.ok('GET', `/api/villages/${v.vid}/redemptions/conflicts`, undefined, v.tokens.approver)).items,
    ).toHaveLength(0)
    const counters = (await g.api.ok('GET', `/api/villages/${v.vid}/counters`, undefined, v.tokens.clerk)).items
    expect(counters[0]).toMatchObject({ pending: 0 })
    console.log(
      `offline: ${JSON.stringify({ sold, posted: sales.length, lost: sold - sales.length, doubled: sales.length - sold })}`,
    )
    await ctx.close()
  })
})
