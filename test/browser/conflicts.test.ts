import type { Browser, BrowserContext, Page } from 'playwright-core'
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
 * Two counter tablets (two browser contexts: each its own IndexedDB, its own counter id) lose the network and
 * both sell 张秀兰 rice for 20 of her last 30 points, each within its offline allowance. Tablet A comes back
 * first: its sale posts. Tablet B's sync cannot get through for a while (its snapshot fetch can): the committee's
 * dashboard shows B holding one unsynced sale since the moment it was made. Then B's sale arrives: a conflict,
 * nothing overdrawn. The approver finds it through the navigation, sees why and what settling would charge,
 * charges the 10 points the household has and writes off 10 with a reason.
 */

let g: Gongyi
let v: VillageSetup
let browser: Browser
let household = { id: '', code: '' }
let riceId = ''

async function tablet(): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: VIEWPORTS[0] })
  const page = await ctx.newPage()
  await logIn(page, g.base, v.logins.cashier!)
  await page.waitForURL('**/kiosk')
  await page.locator('.scanner-ready').waitFor()
  await expect.poll(() => snapshotBalance(page), { timeout: 30_000 }).toBe(30)
  return { ctx, page }
}

/** The household's balance in the tablet's own snapshot (IndexedDB), once the kiosk has kept one. */
async function snapshotBalance(page: Page): Promise<number | null> {
  return page.evaluate(
    async ({ vid, hid }) => {
      if (!(await indexedDB.databases()).some((d) => d.name === 'gongyi-counter')) return null
      return new Promise<number | null>((resolve) => {
        const open = indexedDB.open('gongyi-counter')
        open.onerror = () => resolve(null)
        open.onsuccess = () => {
          const db = open.result
          if (!db.objectStoreNames.contains('snapshots')) return (db.close(), resolve(null))
          const get = db.transaction('snapshots').objectStore('snapshots').get(vid)
          get.onsuccess = () => {
            db.close()
            resolve(get.result?.households.find((h: { id: string }) => h.id === hid)?.balance ?? null)
          }
        }
      })
    },
    { vid: v.vid, hid: household.id },
  )
}

/** The tablet's counter id and its waiting sales, from its IndexedDB. */
async function tabletQueue(page: Page): Promise<{ counterId: string; soldAt: string[] }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('gongyi-counter')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const tx = open.result.transaction(['meta', 'sales'])
          const id = tx.objectStore('meta').get('counterId')
          const sales = tx.objectStore('sales').getAll()
          tx.oncomplete = () => {
            open.result.close()
            resolve({ counterId: id.result, soldAt: sales.result.map((s: { soldAt: string }) => s.soldAt) })
          }
        }
      }),
  )
}

async function cutNetwork(ctx: BrowserContext, off: boolean) {
  await ctx.setOffline(off)
  if (off) await ctx.route('**/*', (route) => route.abort('internetdisconnected'))
  else await ctx.unroute('**/*')
}

async function sellRiceOffline(page: Page) {
  await page.keyboard.type(household.code, { delay: 4 })
  await page.keyboard.press('Enter')
  await expect.poll(() => page.getByTestId('allowance').innerText()).toContain('离线可用 30 分')
  await page.locator(`.tile[data-product="${riceId}"]`).click()
  await page.getByRole('button', { name: '确认兑换' }).click()
  await page.getByTestId('offline-done').waitFor()
  await page.getByRole('button', { name: '下一位' }).last().click()
  await expect.poll(() => page.getByTestId('waiting').innerText()).toContain('待上传 1 笔')
}

const balance = async () =>
  (await g.api.ok('GET', `/api/households/${household.id}`, undefined, v.tokens.clerk)).balance as number
const stock = async () =>
  (await g.api.ok('GET', `/api/villages/${v.vid}/products`, undefined, v.tokens.cashier)).items.find(
    (p: { id: string }) => p.id === riceId,
  ).stock as number

describe.skipIf(!hasChromium)('two tablets offline spend the same last points', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    g = await startGongyi()
    v = await setUpVillage(g.api)
    const rice = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/products`,
      { sku: 'RICE', name: '大米', pointsPrice: 20, unit: '袋' },
      v.tokens.cashier,
    )
    riceId = rice.id
    await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/stock/receipts`,
      { donor: '县供销社', items: [{ productId: riceId, quantity: 10 }] },
      v.tokens.cashier,
    )
    const rule = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/rules`,
      { code: 'HELP', name: '帮扶孤寡老人', category: '邻里互助', points: 30 },
      v.tokens.clerk,
    )
    const h = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/households`,
      { householdNo: '0301', headName: '张秀兰' },
      v.tokens.clerk,
    )
    const card = await g.api.ok('POST', `/api/households/${h.id}/cards`, {}, v.tokens.clerk)
    household = { id: h.id, code: card.code }
    const award = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/awards`,
      { ruleId: rule.id, householdIds: [h.id], occurredOn: new Date().toISOString().slice(0, 10) },
      v.tokens.clerk,
    )
    await g.api.ok('POST', `/api/awards/${award.id}/approve`, {}, v.tokens.approver)
    browser = await launch()
  })

  afterAll(async () => {
    await browser?.close()
    await g?.stop()
  })

  it('one sale posts, the other becomes a conflict the approver settles; the dashboard shows the waiting counter', async () => {
    const a = await tablet()
    const b = await tablet()
    await cutNetwork(a.ctx, true)
    await cutNetwork(b.ctx, true)
    await sellRiceOffline(a.page)
    await sellRiceOffline(b.page)
    const queueB = await tabletQueue(b.page)
    expect(queueB.soldAt).toHaveLength(1)
    expect(queueB.counterId).toMatch(/^\d{8}$/)
    expect((await tabletQueue(a.page)).counterId).not.toBe(queueB.counterId)

    // Tablet A is back: its sale posts.
    await cutNetwork(a.ctx, false)
    await expect.poll(() => a.page.getByTestId('offline-bar').count(), { timeout: 60_000 }).toBe(0)
    expect(await balance()).toBe(10)

    // Tablet B reaches the server, but its sync does not get through: it reports its queue with the snapshot.
    // (The sync is blocked before the network returns: going online fires the kiosk's sync at once.)
    await b.ctx.route('**/redemptions/sync', (route) => route.abort('connectionreset'))
    await b.ctx.unroute('**/*')
    await b.ctx.setOffline(false)
    const office = await browser.newContext({ viewport: VIEWPORTS[1] })
    const approver = await office.newPage()
    await logIn(approver, g.base, v.logins.approver!)
    await approver.waitForURL('**/dashboard')
    const row = approver.locator(`[data-testid=counters] tr[data-counter="${queueB.counterId}"]`)
    await expect
      .poll(
        async () => {
          await approver.reload()
          await approver.getByTestId('unsynced').waitFor()
          return row.getAttribute('data-pending')
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toBe('1')
    const since = await approver.evaluate(
      (iso) =>
        new Date(iso).toLocaleString('zh-CN', {
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
        }),
      queueB.soldAt[0]!,
    )
    expect(await approver.getByTestId('unsynced').innerText()).toMatch(
      new RegExp(`1 笔[\\s\\S]*最早一笔 ${since.replace(/[/.]/g, '\\$&')}`),
    )
    expect(await row.innerText()).toContain(v.logins.cashier!.username)
    expect(await row.innerText()).toContain(since)
    await screenshot(approver, 'dashboard-unsynced')

    // B's sync gets through: a conflict, nothing overdrawn, nothing waits on the tablet any more.
    await b.ctx.unroute('**/redemptions/sync')
    await expect.poll(() => b.page.getByTestId('offline-bar').count(), { timeout: 60_000 }).toBe(0)
    expect(await balance()).toBe(10)
    expect(
      (await g.api.ok('GET', `/api/villages/${v.vid}/redemptions`, undefined, v.tokens.cashier)).items,
    ).toHaveLength(1)
    expect(await stock()).toBe(9)

    await approver.reload()
    await expect.poll(() => approver.getByTestId('open-conflicts').innerText()).toContain('1')
    await expect.poll(() => row.getAttribute('data-pending')).toBe('0')
    expect(await approver.getByTestId('unsynced').innerText()).toContain('0 笔')

    // The approver opens the page from the navigation and sees what happened and what settling would do.
    await approver.getByRole('navigation').getByRole('link', { name: '离线兑换冲突' }).click()
    const card = approver.locator('article[data-status=open]')
    await card.waitFor()
    expect(await card.count()).toBe(1)
    const text = await card.innerText()
    expect(text).toContain('0301 张秀兰')
    expect(text).toContain('大米 × 1')
    expect(text).toContain('应扣 20 分')
    expect(text).toContain('没能入账：积分不够')
    expect(text).toContain(`柜台 ${queueB.counterId}`)
    expect(await card.getByTestId('conflict-would').innerText()).toBe(
      '这户现有 10 分：按现有积分结算将扣 10 分，核销 10 分',
    )
    await screenshot(approver, 'conflicts')

    await card.getByRole('button', { name: '扣现有积分，其余核销' }).click()
    const dialog = approver.getByRole('dialog')
    await dialog.getByRole('textbox').fill('两台平板同时离线，同一户用了同一笔积分')
    await dialog.getByRole('button', { name: '确认' }).click()
    await expect
      .poll(() =>
        approver
          .getByRole('status')
          .allInnerTexts()
          .then((t) => t.join(' ')),
      )
      .toContain('0301 张秀兰: 已结算：扣 10 分，核销 10 分')
    await expect.poll(() => approver.locator('article[data-status=open]').count()).toBe(0)
    expect(await approver.getByText('没有待处理的离线冲突').count()).toBe(1)

    await approver.getByRole('button', { name: '已结算' }).click()
    const settled = approver.locator('article[data-status=settled]')
    await settled.waitFor()
    expect(await settled.getByTestId('conflict-outcome').innerText()).toBe('已结算：扣 10 分，核销 10 分')
    expect(await settled.innerText()).toContain(`结算人：${v.logins.approver!.username}，`)
    expect(await settled.innerText()).toContain('原因：两台平板同时离线，同一户用了同一笔积分')

    // The books: 30 − 20 (A) − 10 (settled) = 0, never below; the rice of both sales left the shelf; the chain verifies.
    expect(await balance()).toBe(0)
    expect(await stock()).toBe(8)
    expect((await g.api.ok('GET', `/api/villages/${v.vid}/ledger/verify`, undefined, v.tokens.auditor)).ok).toBe(true)
    const conflicts = (
      await g.api.ok('GET', `/api/villages/${v.vid}/redemptions/conflicts`, undefined, v.tokens.approver)
    ).items
    console.log(
      `two tablets: ${JSON.stringify({ madeOffline: 2, posted: 1, conflicts: conflicts.length, settled: conflicts.filter((c: { status: string }) => c.status === 'settled').length, charged: conflicts[0].charged, writtenOff: conflicts[0].writtenOff, balance: await balance() })}`,
    )
    await office.close()
    await a.ctx.close()
    await b.ctx.close()
  })
})
