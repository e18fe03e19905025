/*
 * A tiny HTML template for the printable pages: every interpolated value is escaped unless it is already
 * markup made by `html` itself, so a donor named `<script>` prints as text.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!)

export class Markup {
  constructor(readonly html: string) {}
  toString() {
    return this.html
  }
}

type Value = Markup | string | number | null | undefined | false | Value[]

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return ''
  if (v instanceof Markup) return v.html
  if (Array.isArray(v)) return v.map(render).join('')
  return escapeHtml(String(v))
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0]!
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!
  })
  return new Markup(out)
}

/** The printed pages allow no script and load nothing: styles are inline, the page is self-contained. */
export const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

export function htmlPage(title: string, css: string, body: Markup): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Markup(css)}</style>
</head>
<body>
${body}
</body>
</html>
`.html
}

/** A local date and time as the village reads it: 2026-03-14 09:05. */
export function localDateTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso))
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
}
