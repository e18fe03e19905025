import type { Context } from 'hono'
import { html, raw } from 'hono/html'
import { escapeToBuffer, type HtmlEscapedString } from 'hono/utils/html'

/*
 * Printable pages (card sheets, receipts, the notice board, passbooks) are written with Hono's `html` tagged
 * template: every interpolated value is escaped unless it is markup made by `html` itself (or passed through
 * `raw`), so a donor named `<script>` prints as text. Nested fragments and arrays of them pass through.
 */

export { html, raw }

/** Markup made by `html` (a fragment may be a promise when it holds one). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>

/** Text into HTML, for element content and quoted attributes alike. */
export function escapeHtml(s: string): string {
  const buffer = ['']
  escapeToBuffer(s, buffer)
  return buffer[0] as string
}

/** A whole self-contained page in Chinese with its print style inline. */
export async function htmlPage(title: string, css: string, body: Html): Promise<string> {
  const page = await html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(css)}</style>
</head>
<body>
${body}
</body>
</html>
`
  return page.toString()
}

/** The printed pages allow no script and load nothing: styles are inline, QR codes are inline SVG. */
export const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

/** Answers a printable page: never cached (it holds names and balances), no script allowed. */
export function printable(c: Context, page: string) {
  c.header('Content-Security-Policy', PRINT_CSP)
  c.header('Cache-Control', 'no-store')
  return c.html(page)
}
