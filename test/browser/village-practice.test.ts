import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
 * Issue 18 in the browser — what the villages themselves describe: household categories on the roster, the
 * dashboard and the kiosk search; the relief shelf and its sign-off sheet; and the rest as they are built.
 */

let g: Gongyi
let v: VillageSetup
let browser: Browser

async function pageAs(role: string, viewport: { width: number; height: number } = VIEWPORTS[1]): Promise<Page> {
  const page = await browser.newPage({ viewport })
  await logIn(page, g.base, v.logins[role]!)
  await page.waitForURL((url) => url.pathname !== '/login')
  return page
}

describe.skipIf(!hasChromium)('issue 18 pages in Chromium', { timeout: 120_000 }, () => {
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    g = await startGongyi()
    v = await setUpVillage(g.api)
    browser = await launch()
    const clerk = v.tokens.clerk!
    for (const [no, name, tags] of [
      ['001', '王桂兰', ['低保']],
      ['002', '李德福', []],
      ['003', '张秀英', ['低保', '留守老人']],
    ] as const) {
      ids[no] = (
        await g.api.ok(
          'POST',
          `/api/villages/${v.vid}/households`,
          { householdNo: no, headName: name, tags, members: [{ name: `${name.slice(0, 1)}小明` }] },
          clerk,
        )
      ).id
    }
  })

  afterAll(async () => {
    await browser?.close()
    await g?.stop()
  })

  it('categories: the clerk ticks 五保 on a household, filters the list by it, the dashboard counts it, the kiosk finds it', async () => {
    const clerk = await pageAs('clerk')
    await clerk.goto(`${g.base}/households/${ids['002']}`)
    const panel = clerk.getByTestId('tags')
    await panel.getByLabel('五保').check()
    await panel.getByRole('button', { name: '保存类别' }).click()
    await expect.poll(() => panel.getByText('类别已保存').isVisible()).toBe(true)
    await clerk.getByLabel('李小明 党员').check()
    await expect
      .poll(
        async () =>
          (await g.api.ok('GET', `/api/households/${ids['002']}`, undefined, v.tokens.clerk)).members[0].partyMember,
      )
      .toBe(true)
    expect((await g.api.ok('GET', `/api/households/${ids['002']}`, undefined, v.tokens.clerk)).tags).toEqual(['五保'])

    await clerk.goto(`${g.base}/households`)
    await clerk.getByLabel('按类别筛选').selectOption('低保')
    await expect.poll(() => clerk.locator('tbody tr').count()).toBe(2)
    expect(await clerk.locator('tbody').innerText()).toContain('张秀英')
    expect(await clerk.locator('tbody').innerText()).not.toContain('李德福')

    await clerk.goto(`${g.base}/dashboard`)
    const counts = clerk.getByTestId('tag-counts')
    await expect.poll(() => counts.locator('[data-tag="低保"] .value').innerText()).toBe('2')
    expect(await counts.locator('[data-tag="五保"] .value').innerText()).toBe('1')
    expect(await counts.innerText()).toContain('党员 1 人')
    await screenshot(clerk, 'issue18-dashboard-categories')
    await clerk.close()

    const cashier = await pageAs('cashier', VIEWPORTS[0])
    await cashier.goto(`${g.base}/kiosk`)
    await cashier.getByLabel('按类别筛选').selectOption('留守老人')
    await expect.poll(() => cashier.locator('.search-hit').count()).toBe(1)
    expect(await cashier.locator('.search-hit').innerText()).toContain('张秀英')
    await cashier.close()
  })

  it('relief: the cashier gives rice to every 低保 household, stock goes down, no points move, the sign-off sheet opens', async () => {
    const cashierToken = v.tokens.cashier!
    const rice = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/products`,
      { sku: 'RICE10', name: '大米10斤', unit: '袋', pointsPrice: 40 },
      cashierToken,
    )
    await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/stock/receipts`,
      { donor: '县民政局', items: [{ productId: rice.id, quantity: 10 }] },
      cashierToken,
    )
    const page = await pageAs('cashier')
    await page.goto(`${g.base}/relief`)
    await page.getByLabel('大米10斤 每户数量').fill('2')
    await page.getByLabel('按类别筛选').selectOption('低保')
    await page.getByLabel('事由').fill('春节慰问')
    await page.getByRole('button', { name: '确认发放' }).click()
    await expect.poll(() => page.getByText('已发放给 2 户').isVisible()).toBe(true)
    expect((await g.api.ok('GET', `/api/products/${rice.id}`, undefined, cashierToken)).stock).toBe(6)
    expect((await g.api.ok('GET', `/api/households/${ids['001']}`, undefined, cashierToken)).balance).toBe(0)
    expect(await page.getByTestId('relief-list').innerText()).toContain('春节慰问')
    await screenshot(page, 'issue18-relief')
    const [sheet] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: '打印签领表' }).first().click(),
    ])
    await expect
      .poll(() =>
        sheet
          .locator('h1')
          .innerText()
          .catch(() => ''),
      )
      .toBe('救助物资签领表')
    expect(await sheet.locator('tbody tr').count()).toBe(2)
    expect(await sheet.locator('tbody').innerText()).toContain('张秀英')
    await page.close()
  })
})
