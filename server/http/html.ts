import type { Context } from 'hono'

/*
 * Printable pages (card sheets, receipts, the notice board, passbooks): a tiny HTML template in which every
 * interpolated value is escaped unless it is markup made by `html` itself, so a donor named `<script>`
 * prints as text.
 */

/** Markup that is already safe; everything else interpolated into `html` is escaped. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value
  }
}

type Part = string | number | null | undefined | false | Html | Part[]

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text into HTML, for element content and quoted attributes alike. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!)

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return ''
  if (part instanceof Html) return part.value
  if (Array.isArray(part)) return part.map(render).join('')
  return escapeHtml(String(part))
}

/** A template tag: `html\`<td>${name}</td>\`` escapes name; nested html fragments and arrays pass through. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!
  })
  return new Html(out)
}

/** A whole self-contained page in Chinese with its print style inline. */
export function htmlPage(title: string, css: string, body: Html): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Html(css)}</style>
</head>
<body>
${body}
</body>
</html>
`.value
}

/** The printed pages allow no script and load nothing: styles are inline, QR codes are inline SVG. */
export const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

/** Answers a printable page: never cached (it holds names and balances), no script allowed. */
export function printable(c: Context, page: string) {
  c.header('Content-Security-Policy', PRINT_CSP)
  c.header('Cache-Control', 'no-store')
  return c.html(page)
}
