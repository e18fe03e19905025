import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import QRCode from 'qrcode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cardVideo,
  type Gongyi,
  hasChromium,
  launch,
  logIn,
  ROOT,
  screenshot,
  SCREENSHOTS,
  setUpVillage,
  startGongyi,
  type VillageSetup,
} from './harness.js'

/*
 * The villager's own phone (/me) at 360×640 with touch: signed in by holding the card up to the page's camera
 * (a fake camera playing the card's QR — printed as the /me link, as with GONGYI_PUBLIC_URL), balance, place and
 * history, a 申报 with a photo from the file picker, and the clerk's reply after the clerk declines it.
 */

const PHONE = {
  viewport: { width: 360, height: 640 },
  hasTouch: true,
  isMobile: true,
  deviceScaleFactor: 2,
  locale: 'zh-CN',
}

let g: Gongyi
let v: VillageSetup
let browser: Browser
let context: BrowserContext
let household: { id: string; householdNo: string; code: string }

/** Every visible text at least 18 px, every visible control at least 48 px each way. */
async function assertSizes(page: Page) {
  const problems = await page.evaluate(() => {
    const out: string[] = []
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect()
      const s = getComputedStyle(el)
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
    }
    for (const el of document.querySelectorAll('body *')) {
      if (!visible(el)) continue
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())
      const size = Number.parseFloat(getComputedStyle(el).fontSize)
      if (own && size < 18) out.push(`${el.tagName}.${el.className} "${el.textContent!.trim().slice(0, 20)}" ${size}px`)
    }
    for (const el of document.querySelectorAll('button, input, select, textarea, a[href]')) {
      if (!visible(el)) continue
      const r = el.getBoundingClientRect()
      if (r.height < 48 || r.width < 48)
        out.push(
          `${el.tagName} "${(el.textContent ?? '').trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`,
        )
    }
    return out
  })
  expect(problems).toEqual([])
}

// A day's work in order: each step starts where the last one left the page and the data, so the steps keep
// their order even under `vitest --sequence.shuffle` (which still shuffles the files around them).
describe.skipIf(!hasChromium)('the villager page on a phone', { timeout: 120_000, shuffle: false }, () => {
  beforeAll(async () => {
    g = await startGongyi()
    v = await setUpVillage(g.api)
    const rule = await g.api.ok(
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
    const h = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/households`,
      { householdNo: '012', headName: '许来福', members: [{ name: '许小福' }] },
      v.tokens.clerk,
    )
    const other = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/households`,
      { householdNo: '013', headName: '王秀英' },
      v.tokens.clerk,
    )
    const card = await g.api.ok('POST', `/api/households/${h.id}/cards`, {}, v.tokens.clerk)
    household = { id: h.id, householdNo: h.householdNo, code: card.code }
    const today = new Date().toISOString().slice(0, 10)
    const a = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/awards`,
      { ruleId: rule.id, householdIds: [h.id], occurredOn: today, memberId: h.members[0].id },
      v.tokens.clerk,
    )
    await g.api.ok('POST', `/api/awards/${a.id}/approve`, {}, v.tokens.approver)
    const b = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/awards`,
      { ruleId: rule.id, householdIds: [other.id], occurredOn: today },
      v.tokens.clerk,
    )
    await g.api.ok('POST', `/api/awards/${b.id}/approve`, {}, v.tokens.approver)
    const p = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/products`,
      { sku: 'SOAP', name: '洗衣皂', pointsPrice: 4, unit: '块' },
      v.tokens.cashier,
    )
    await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/stock/receipts`,
      { items: [{ productId: p.id, quantity: 12 }] },
      v.tokens.cashier,
    )

    // The card's QR as the phone's camera sees it: the /me link that carries the code.
    const video = join(g.dir, 'card.y4m')
    cardVideo(`${g.base}/me#c=${card.code}`, video, { scale: 4 })
    browser = await launch([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ])
    context = await browser.newContext(PHONE)
  })

  afterAll(async () => {
    await browser?.close()
    await g?.stop()
  })

  it('signs in by the camera; shows balance, place and the month, large enough to read and touch', async () => {
    const page = await context.newPage()
    await page.goto(`${g.base}/me`)
    await assertSizes(page)
    await page.getByRole('button', { name: '打开摄像头扫卡' }).tap()
    await page.getByTestId('balance').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('balance').innerText()).toBe('50')
    expect(await page.getByTestId('rank').innerText()).toBe('全村第 1 名 / 2 户')
    expect(await page.locator('.me-top-title').innerText()).toContain('许来福')
    const entry = page.locator('.me-entry').first()
    await expect.poll(() => entry.innerText().catch(() => '')).toContain('门前三包')
    expect(await entry.innerText()).toContain('许小福')
    expect(await entry.innerText()).toContain('+50')
    await assertSizes(page)
    await screenshot(page, 'villager')
    mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true })
    copyFileSync(join(SCREENSHOTS, 'villager-360x640.png'), join(ROOT, 'docs/screenshots/villager.png'))

    // The page stays signed in: a reload opens the household again without the card.
    await page.reload()
    await page.getByTestId('balance').waitFor()
    await page.close()
  })

  it('reads notices with masked names and the shop', async () => {
    const page = await context.newPage()
    await page.goto(`${g.base}/me`)
    await page.getByRole('button', { name: '超市' }).tap()
    await expect
      .poll(() =>
        page
          .locator('.me-entry')
          .first()
          .innerText()
          .catch(() => ''),
      )
      .toContain('洗衣皂')
    expect(await page.locator('.me-entry').first().innerText()).toContain('4 分')
    // The village now posts its awards on notice for three days: one names this household and a neighbour.
    await g.api.ok('PATCH', `/api/villages/${v.vid}`, { noticeDays: 3 }, v.admin)
    const rules = (await g.api.ok('GET', `/api/villages/${v.vid}/rules`, undefined, v.tokens.clerk)).items
    const help = rules.find((r: { code: string }) => r.code === 'HELP')
    const households = (
      await g.api.ok('GET', `/api/villages/${v.vid}/households`, undefined, v.tokens.clerk)
    ).items.map((h: { id: string }) => h.id)
    const today = new Date().toISOString().slice(0, 10)
    const a = await g.api.ok(
      'POST',
      `/api/villages/${v.vid}/awards`,
      { ruleId: help.id, householdIds: households, occurredOn: today },
      v.tokens.clerk,
    )
    await g.api.ok('POST', `/api/awards/${a.id}/approve`, {}, v.tokens.approver)
    await page.getByRole('button', { name: '公示' }).tap()
    const notice = page.locator('.me-entry').first()
    await expect.poll(() => notice.innerText().catch(() => '')).toContain('助老')
    expect(await notice.innerText()).toContain('012 许来福')
    expect(await notice.innerText()).toContain('013 王*英')
    await notice.getByRole('button', { name: '我有异议' }).tap()
    await notice.getByLabel('异议内容').fill('王家那天不在村里')
    await notice.getByRole('button', { name: '提交异议' }).tap()
    await page.getByText('异议已提交给村委会').waitFor()
    const detail = await g.api.ok('GET', `/api/awards/${a.id}`, undefined, v.tokens.clerk)
    expect(detail.objections).toEqual([expect.objectContaining({ text: '王家那天不在村里', raisedBy: '012 许来福' })])
    await assertSizes(page)
    await page.close()
  })

  it('raises a 申报 with a photo; the clerk declines it and the household reads the reply', async () => {
    const page = await context.newPage()
    await page.goto(`${g.base}/me`)
    await page.getByRole('button', { name: '申报', exact: true }).tap()
    await page.getByLabel('做了什么好事').fill('帮五保户王大爷挑水')
    await page.getByLabel('家里谁做的').selectOption({ label: '许小福' })
    const photo = await QRCode.toBuffer('a big photo from the phone', { type: 'png', width: 2000 })
    await page
      .getByLabel('拍照片（可以不拍）')
      .setInputFiles({ name: 'deed.png', mimeType: 'image/png', buffer: photo })
    await page.getByAltText('照片已选好').waitFor()
    await assertSizes(page)
    await page.getByRole('button', { name: '提交申报' }).tap()
    await page.getByText('申报已提交，请等村委会答复').waitFor()
    await page.getByText('等待答复').waitFor()

    const claims = await g.api.ok('GET', `/api/villages/${v.vid}/claims?status=submitted`, undefined, v.tokens.clerk)
    expect(claims.items).toHaveLength(1)
    const claim = claims.items[0]
    expect(claim).toMatchObject({
      householdId: household.id,
      memberName: '许小福',
      description: '帮五保户王大爷挑水',
      hasPhoto: true,
    })
    // Downscaled in the browser: a JPEG of at most 1280 px, much smaller than the 2000 px PNG picked.
    const res = await fetch(`${g.base}/api/claims/${claim.id}/photo`, {
      headers: { authorization: `Bearer ${v.tokens.clerk}` },
    })
    expect(res.headers.get('content-type')).toBe('image/jpeg')
    const jpeg = Buffer.from(await res.arrayBuffer())
    expect(jpegWidth(jpeg)).toBeLessThanOrEqual(1280)

    await g.api.ok(
      'POST',
      `/api/claims/${claim.id}/decline`,
      { reply: '挑水已按助老规则另行申报，此条不重复计分' },
      v.tokens.clerk,
    )
    await page.getByRole('button', { name: '积分' }).tap()
    await page.getByRole('button', { name: '申报', exact: true }).tap()
    await page.getByText('此条不重复计分', { exact: false }).waitFor()
    expect(await page.locator('[data-status="declined"]').innerText()).toContain('未采纳')
    await page.getByRole('button', { name: '退出' }).tap()
    await page.getByRole('button', { name: '打开摄像头扫卡' }).waitFor()
    await page.close()
  })

  it('the clerk accepts a 申报 on the committee page with a rule: it becomes an award proposal', async () => {
    const { token } = await g.api.ok('POST', '/api/villager/login', { cardCode: household.code })
    const photo = (await QRCode.toBuffer('photo', { type: 'png', width: 300 })).toString('base64')
    const claim = await g.api.ok(
      'POST',
      '/api/me/claims',
      { description: '清理河道垃圾', occurredOn: new Date().toISOString().slice(0, 10), photo },
      token,
    )
    const office = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    const page = await office.newPage()
    await logIn(page, g.base, v.logins.clerk!)
    await page.waitForURL('**/dashboard')
    await page.goto(`${g.base}/claims`)
    const card = page.locator(`[data-claim="${claim.id}"]`)
    await card.getByText('清理河道垃圾').waitFor()
    await card.getByAltText('照片').waitFor()
    await card.getByLabel('积分规则').selectOption({ label: 'CLEAN 门前三包 (+50)' })
    await card.getByRole('button', { name: '受理并提交奖励申报' }).click()
    await page.getByText('已生成奖励申报，等待审批', { exact: false }).waitFor()
    const accepted = (await g.api.ok('GET', `/api/villages/${v.vid}/claims?status=accepted`, undefined, v.tokens.clerk))
      .items
    expect(accepted.find((c: { id: string }) => c.id === claim.id)).toMatchObject({
      status: 'accepted',
      awardId: expect.any(String),
    })
    await office.close()
  })

  it("opens from the phone's own scanner app: /me#c=<code> signs in and leaves the address bar clean", async () => {
    const phone = await browser.newContext(PHONE)
    const page = await phone.newPage()
    await page.goto(`${g.base}/me#c=${household.code}`)
    await page.getByTestId('balance').waitFor()
    expect(new URL(page.url()).hash).toBe('')
    await phone.close()
  })
})

/** The width in a JPEG's first SOF marker. */
function jpegWidth(b: Buffer): number {
  let i = 2
  while (i < b.length) {
    const marker = b[i + 1]!
    const len = b.readUInt16BE(i + 2)
    if (marker >= 0xc0 && marker <= 0xc3) return b.readUInt16BE(i + 7)
    i += 2 + len
  }
  return Number.NaN
}
