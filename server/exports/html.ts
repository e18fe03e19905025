import { type Html, htmlPage } from '../http/html.js'

/** The statements' print style for A4 paper, and the masking the public board may use. */

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

export const page = (title: string, body: Html): Promise<string> => htmlPage(title, PRINT_CSS, body)
