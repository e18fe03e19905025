/*
 * What a card's QR symbol holds: the bare signed code, or — when the installation has a public address
 * (GONGYI_PUBLIC_URL) — the villager page's address with the code after `#c=`, so that a phone's own scanner
 * app opens /me and signs the household in. Every reader of a scan (the counter's resolve and redemption, the
 * villager sign-in, the /me page's camera) strips it to the code with cardCodeFromScan.
 */

const LINKED = /[#?&]c=([A-Za-z0-9_.-]{1,256})(?:&|$)/

/** The card code in a scanned text: the `c=` parameter of a card link, or the text itself, trimmed. */
export function cardCodeFromScan(text: string): string {
  const trimmed = text.trim()
  const match = /^https?:\/\//i.test(trimmed) ? LINKED.exec(trimmed) : null
  return match ? match[1]! : trimmed
}

/** The text to print in a card's QR: the bare code, or the /me link when there is a public address. */
export function cardQrText(code: string, publicUrl?: string | null): string {
  if (!publicUrl) return code
  return `${publicUrl.replace(/\/+$/, '')}/me#c=${code}`
}
