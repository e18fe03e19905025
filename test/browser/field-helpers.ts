import type { Page } from 'playwright-core'
import { expect } from 'vitest'

/*
 * What issue 17's browser tests check on every screen: the words are Chinese (no English in the Chinese
 * interface) and the buttons that move the work on are wholly on the screen.
 */

/**
 * Latin words in the visible text: letters in runs of two or more. Digits, household numbers, and the units
 * and abbreviations a Chinese office writes in Latin (KB, MB, A4, PDF, CSV, Excel, QR) are allowed; so is the
 * test's own data (`data`: SKUs, rule codes).
 */
// JZ: a donation receipt's number (JZ-2026-0007), a code like a household number.
const ALLOWED = ['KB', 'MB', 'A4', 'CSV', 'PDF', 'Excel', 'xlsx', 'JSON', 'QR', 'WPS', 'English', 'JZ']
export async function latinWords(page: Page, data: string[] = []): Promise<string[]> {
  const allowed = new Set([...ALLOWED, ...data])
  const text = await page.evaluate(() => {
    const parts: string[] = [document.body.innerText]
    for (const d of document.querySelectorAll('dialog[open]')) parts.push((d as HTMLElement).innerText)
    // The login name is the user's own data (cashier-bt…), not the interface's words; so are the other login
    // names a page shows, each marked .user-data (the cashier at a counter on the dashboard).
    const who = ((document.querySelector('.topbar .who') as HTMLElement | null)?.innerText ?? '').split('（')[0]!.trim()
    const data = [who, ...[...document.querySelectorAll('.user-data')].map((e) => (e as HTMLElement).innerText.trim())]
    return data.filter(Boolean).reduce((text, d) => text.replaceAll(d, ''), parts.join('\n'))
  })
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !allowed.has(w))
}

export async function expectChineseOnly(page: Page, data: string[] = [], where = '') {
  expect(await latinWords(page, data), where).toEqual([])
}

/** The named buttons are wholly inside the viewport. */
export async function expectOnScreen(page: Page, names: (string | RegExp)[]) {
  const { width, height } = page.viewportSize()!
  for (const name of names) {
    const box = await page.getByRole('button', { name }).first().boundingBox()
    expect(box, String(name)).not.toBeNull()
    expect(box!.x, String(name)).toBeGreaterThanOrEqual(0)
    expect(box!.y, String(name)).toBeGreaterThanOrEqual(0)
    expect(box!.x + box!.width, String(name)).toBeLessThanOrEqual(width)
    expect(box!.y + box!.height, String(name)).toBeLessThanOrEqual(height)
  }
}

/** The text of a page opened in a new window (a printable: cards, passbooks, the board), once it has loaded. */
export async function popupText(page: Page, open: () => Promise<unknown>): Promise<string> {
  const [popup] = await Promise.all([page.waitForEvent('popup'), open()])
  let text = ''
  await expect
    .poll(
      async () =>
        (text = await popup
          .locator('body')
          .innerText()
          .catch(() => '')),
      { timeout: 20_000 },
    )
    .not.toBe('')
  // The blob page may still be arriving: wait until its text stops changing.
  await popup.waitForLoadState('load').catch(() => {})
  text = await popup
    .locator('body')
    .innerText()
    .catch(() => text)
  const html = await popup.content()
  await popup.close()
  return `${text}\n${html}`
}
