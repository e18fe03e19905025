/** Printable pages: HTML that escapes everything it is given, and one print style for A4 paper. */

/** Markup that is already safe; everything else interpolated into `html` is escaped. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value
  }
}

type Part = string | number | null | undefined | false | Html | Part[]

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
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

/**
 * 张小三 → 张*三, 李四 → 李*: the village may post its board with names masked. Works on characters, not
 * UTF-16 units, so rare characters outside the BMP are masked whole.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim())
  if (chars.length <= 1) return '*'
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`
}

/** Points with a sign where the direction matters (+5, −3); plain otherwise. */
export const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0')

const PRINT_CSS = `
@page { size: A4 portrait; margin: 12mm 10mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif;
  font-size: 11pt; color: #000; margin: 0 auto; max-width: 190mm; line-height: 1.45; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1.5pt solid #000; padding-bottom: 1mm; }
.sub { text-align: center; margin: 0 0 4mm; }
table { width: 100%; border-collapse: collapse; margin: 0 0 3mm; }
th, td { border: 0.75pt solid #333; padding: 1mm 1.5mm; vertical-align: top; }
th { background: #eee; font-weight: bold; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
tfoot td, tr.total td { font-weight: bold; }
.facts { display: flex; flex-wrap: wrap; gap: 2mm 8mm; margin: 0 0 3mm; }
.note { font-size: 9pt; color: #333; }
.hash { font-family: monospace; font-size: 8pt; word-break: break-all; }
.empty { color: #555; font-style: italic; }
@media print { body { max-width: none; } }
`

export function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${new Html(PRINT_CSS)}</style></head>
<body>${body}</body></html>`.value
}
