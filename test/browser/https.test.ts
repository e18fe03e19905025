import { createHash, X509Certificate } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cardVideo,
  CHROMIUM,
  CHROMIUM_ARGS,
  type Gongyi,
  hasChromium,
  logIn,
  screenshot,
  setUpVillage,
  startGongyi,
  type VillageSetup,
  VIEWPORTS,
} from './harness.js'

/*
 * The counter tablet on the village network, as a tablet sees it: the server with GONGYI_TLS=on and its own
 * CA, reached by a LAN name (counter.village.test, mapped to this PC by Chromium's host resolver rules, as the
 * village router's DNS would), trusted by the CA's key the way an installed CA certificate is (Chromium's
 * --ignore-certificate-errors-spki-list with the SHA-256 of the CA's SubjectPublicKeyInfo), and a fake camera
 * playing a household's card.
 * - Over plain http at that name the page is not a secure context: the kiosk says the camera is off, why, and
 *   the https address to use; a USB scanner still works. (The server answers plain http to this PC itself, as a
 *   GONGYI_TLS=off server answers every tablet; from the LAN it would send the page to https.)
 * - Over https the camera reads the card.
 * - Installed: a persistent profile opens the kiosk once online (the service worker installs), the browser is
 *   closed, opened again with the network off: the app opens from the service worker, the camera reads the card
 *   against the tablet's snapshot, the sale is kept, and posts once when the network returns.
 */

const HOST = 'counter.village.test'
let g: Gongyi
let v: VillageSetup
let port = 0
let household = { id: '', code: '' }
let soapId = ''
let args: string[] = []

const httpsBase = () => `https://${HOST}:${port}`

async function cameraReads(page: Page, name: string) {
  await expect
    .poll(
      () =>
        page
          .getByTestId('head-name')
          .innerText()
          .catch(() => ''),
      { timeout: 60_000, interval: 500 },
    )
    .toBe(name)
}

describe.skipIf(!hasChromium)('the counter tablet over HTTPS at a LAN name', { timeout: 420_000 }, () => {
  beforeAll(async () => {
    g = await startGongyi({
      env: (p) => ({ GONGYI_TLS: 'on', GONGYI_PUBLIC_URL: `https://${HOST}:${p}`, GONGYI_BACKUPS: 'off' }),
    })
    port = Number(new URL(g.base).port)
    v = await setUpVillage(g.api)
    const soap = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/products`,
      { sku: 'SOAP', name: '洗衣皂', pointsPrice: 5 },
      v.tokens.cashier,
    )
    soapId = soap.id
    await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/stock/receipts`,
      { donor: '县供销社', items: [{ productId: soapId, quantity: 20 }] },
      v.tokens.cashier,
    )
    const rule = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/rules`,
      { code: 'CLEAN', name: '门前三包', category: '环境卫生', points: 30 },
      v.tokens.clerk,
    )
    const h = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/households`,
      { householdNo: '0208', headName: '李桂芳' },
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

    // The CA as a tablet downloads it (plain http, before it trusts anything), pinned by its key's hash.
    const der = Buffer.from(await (await fetch(`${g.base}/ca.crt`)).arrayBuffer())
    const spki = new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' })
    const video = join(g.dir, 'card.y4m')
    cardVideo(household.code, video, { scale: 4 })
    args = [
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]
  })

  afterAll(async () => {
    await g?.stop()
  })

  describe('a fresh tablet', () => {
    let browser: Browser
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...args] })
    })
    afterAll(async () => {
      await browser?.close()
    })

    it('over plain http the kiosk says why the camera is off and how to turn it on; the USB scanner works', async () => {
      // Its own context, first: an https visit would leave HSTS behind for this name.
      const ctx = await browser.newContext({ viewport: VIEWPORTS[0] })
      const page = await ctx.newPage()
      await logIn(page, `http://${HOST}:${port}`, v.logins.cashier!)
      await page.waitForURL('**/kiosk')
      expect(await page.evaluate(() => window.isSecureContext)).toBe(false)
      const problem = page.getByTestId('camera-problem')
      await problem.waitFor()
      expect(await problem.innerText()).toContain('摄像头关着：这一页不是安全页面（是用 http 打开的）')
      const how = await page.getByTestId('camera-how').innerText()
      expect(how).toContain(`要用摄像头：在平板上装好本村证书，再用 https://${HOST}:${port}/kiosk 打开。`)
      expect(
        await page.getByTestId('camera-how').getByRole('link', { name: '怎么设置（设置页）' }).getAttribute('href'),
      ).toBe('/setup')
      await screenshot(page, 'kiosk-http-camera-off')
      // The scanner types the code and Enter: the household shows.
      await page.locator('.scanner-ready').waitFor()
      await page.keyboard.type(household.code, { delay: 2 })
      await page.keyboard.press('Enter')
      await expect
        .poll(
          () =>
            page
              .getByTestId('head-name')
              .innerText()
              .catch(() => ''),
          { timeout: 30_000 },
        )
        .toBe('李桂芳')
      await ctx.close()
    })

    it('over https with the village CA trusted, the camera reads the card', async () => {
      const ctx = await browser.newContext({ viewport: VIEWPORTS[0] })
      const page = await ctx.newPage()
      await logIn(page, httpsBase(), v.logins.cashier!)
      await page.waitForURL(`${httpsBase()}/kiosk`)
      expect(await page.evaluate(() => window.isSecureContext)).toBe(true)
      await cameraReads(page, '李桂芳')
      const { balance } = await g.api.ok('GET', `/api/households/${household.id}`, undefined, v.tokens.clerk)
      expect(await page.getByTestId('balance').innerText()).toBe(String(balance))
      expect(await page.getByTestId('camera-problem').count()).toBe(0)
      await ctx.close()
    })
  })

  it('installed: opened once online, it opens with the network off and the camera reads the card against the snapshot', async () => {
    const dir = mkdtempSync(join(g.dir, 'tablet-'))
    const tablet = () =>
      chromium.launchPersistentContext(dir, {
        executablePath: CHROMIUM,
        args: [...CHROMIUM_ARGS, ...args],
        viewport: VIEWPORTS[0],
      })
    let ctx: BrowserContext = await tablet()
    let page = ctx.pages()[0] ?? (await ctx.newPage())
    await logIn(page, httpsBase(), v.logins.cashier!)
    await page.waitForURL('**/kiosk')
    // Installable: the manifest opens the kiosk full screen; the service worker takes the page over.
    const manifest = await page.evaluate(async () =>
      (await fetch(document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href)).json(),
    )
    expect(manifest).toMatchObject({ start_url: '/kiosk', display: 'fullscreen' })
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true))
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 30_000 }).toBe(true)
    await expect
      .poll(
        () =>
          page.evaluate(async () => {
            if (!(await indexedDB.databases()).some((d) => d.name === 'gongyi-counter')) return false
            return new Promise<boolean>((resolve) => {
              const open = indexedDB.open('gongyi-counter')
              open.onerror = () => resolve(false)
              open.onsuccess = () => {
                const db = open.result
                if (!db.objectStoreNames.contains('snapshots')) return (db.close(), resolve(false))
                const all = db.transaction('snapshots').objectStore('snapshots').count()
                all.onsuccess = () => (db.close(), resolve(all.result > 0))
              }
            })
          }),
        { timeout: 30_000 },
      )
      .toBe(true)
    await ctx.close()

    // The tablet restarted with no network at all.
    ctx = await tablet()
    await ctx.setOffline(true)
    await ctx.route('**/*', (route) => route.abort('internetdisconnected'))
    page = ctx.pages()[0] ?? (await ctx.newPage())
    await page.goto(`${httpsBase()}/kiosk`)
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)
    await cameraReads(page, '李桂芳')
    await expect.poll(() => page.getByTestId('allowance').innerText()).toContain('离线可用 30 分')
    expect(await page.getByTestId('offline').count()).toBe(1)
    await screenshot(page, 'kiosk-installed-offline')
    await page.locator(`.tile[data-product="${soapId}"]`).click()
    await page.getByRole('button', { name: '确认兑换' }).click()
    await page.getByTestId('offline-done').waitFor()
    expect(await page.getByTestId('local-no').innerText()).toMatch(/^离线-/)
    expect(
      (await g.api.ok('GET', `/api/villages/${v.vid}/redemptions`, undefined, v.tokens.cashier)).items,
    ).toHaveLength(0)

    // The network returns: the one sale posts, once.
    await ctx.unroute('**/*')
    await ctx.setOffline(false)
    await expect.poll(() => page.getByTestId('offline-bar').count(), { timeout: 60_000 }).toBe(0)
    const sales = (await g.api.ok('GET', `/api/villages/${v.vid}/redemptions`, undefined, v.tokens.cashier)).items
    expect(sales).toHaveLength(1)
    expect((await g.api.ok('GET', `/api/households/${household.id}`, undefined, v.tokens.clerk)).balance).toBe(25)
    expect((await g.api.ok('GET', `/api/villages/${v.vid}/ledger/verify`, undefined, v.tokens.auditor)).ok).toBe(true)
    console.log(
      `installed offline: ${JSON.stringify({ madeOffline: 1, posted: sales.length, lost: 1 - sales.length, doubled: sales.length - 1 })}`,
    )
    await ctx.close()
  })
})
