import { strFromU8, unzipSync } from 'fflate'

/*
 * Reading the first sheet of an .xlsx roster, as Excel and WPS save it (issue 17). An .xlsx is a zip of XML parts:
 * xl/workbook.xml names the sheets, xl/_rels/workbook.xml.rels says which file each one is, xl/sharedStrings.xml
 * holds the texts that cells point to by index (t="s"); a cell may also carry its text inline (t="inlineStr",
 * WPS and other writers) or a formula's text result (t="str"). fflate is already the project's zip library
 * (the exports write xlsx with it), so this needs no new dependency: a roster is a few columns of text and
 * numbers, and these parts are all that reading one takes. Element names may carry a namespace prefix (x:row).
 */

export interface SheetRow {
  /** The row number the spreadsheet shows (1 = the header), so errors name the line the clerk sees. */
  line: number
  cells: string[]
}

export const isXlsx = (bytes: Uint8Array) =>
  bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** XML text to a string: entities, numeric references, and OOXML's _x000D_ escapes of control characters. */
function unescapeXml(s: string): string {
  return s
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
      e[0] === '#'
        ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)))
        : (ENTITIES[e] ?? m),
    )
    .replace(/_x([0-9a-f]{4})_/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

const tag = (name: string) => `(?:[\\w-]+:)?${name}`
/** Every element `name` in xml: its attributes and inner text (empty for <name/>). */
function* elements(xml: string, name: string): Generator<{ attrs: string; inner: string }> {
  const re = new RegExp(`<${tag(name)}\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${tag(name)}>)`, 'g')
  for (const m of xml.matchAll(re)) yield { attrs: m[1] ?? '', inner: m[2] ?? '' }
}
const attr = (attrs: string, name: string) => new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1]
/** The text of a shared string or inline string: every <t> run joined (rich text splits a name into runs). */
const runs = (xml: string) => [...elements(xml, 't')].map((t) => unescapeXml(t.inner)).join('')

/** "C12" → 2 (zero-based column). */
function columnOf(ref: string): number {
  let n = 0
  for (const ch of ref.replace(/\d+$/, '').toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n - 1
}

/** A number cell as the clerk typed it: 13912345678, not 1.3912345678E10; 12, not 12.0. */
function numberText(v: string): string {
  const n = Number(v)
  return Number.isFinite(n) && Number.isInteger(n) && Math.abs(n) < 1e21 ? BigInt(n).toString() : v
}

function part(files: Record<string, Uint8Array>, path: string): string | null {
  const key = Object.keys(files).find((k) => k.toLowerCase() === path.toLowerCase())
  return key ? strFromU8(files[key]!) : null
}

/** The first sheet's rows, or throws with a reason the import reports. */
export function readFirstSheet(bytes: Uint8Array): SheetRow[] {
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes, {
      filter: (f) => (f.name.startsWith('xl/') && f.name.endsWith('.xml')) || f.name.endsWith('.rels'),
    })
  } catch {
    throw new Error('不是有效的 Excel 文件')
  }
  const workbook = part(files, 'xl/workbook.xml')
  if (!workbook) throw new Error('不是有效的 Excel 文件（缺少工作簿）')
  const first = elements(workbook, 'sheet').next().value
  const rid = first && (attr(first.attrs, 'r:id') ?? /\bid="([^"]*)"/.exec(first.attrs)?.[1])
  const rels = part(files, 'xl/_rels/workbook.xml.rels') ?? ''
  let target = 'worksheets/sheet1.xml'
  for (const r of elements(rels, 'Relationship'))
    if (attr(r.attrs, 'Id') === rid) target = attr(r.attrs, 'Target') ?? target
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`
  const sheet = part(files, path)
  if (!sheet) throw new Error('Excel 文件里没有工作表')
  const shared = [...elements(part(files, 'xl/sharedStrings.xml') ?? '', 'si')].map((si) => runs(si.inner))

  const rows: SheetRow[] = []
  let nextLine = 1
  for (const row of elements(sheet, 'row')) {
    const line = Number(attr(row.attrs, 'r') ?? nextLine)
    nextLine = line + 1
    const cells: string[] = []
    let col = 0
    for (const c of elements(row.inner, 'c')) {
      const ref = attr(c.attrs, 'r')
      if (ref) col = columnOf(ref)
      const type = attr(c.attrs, 't') ?? 'n'
      const v = elements(c.inner, 'v').next().value
      const raw = v ? unescapeXml(v.inner) : ''
      cells[col] =
        type === 's'
          ? (shared[Number(raw)] ?? '')
          : type === 'inlineStr'
            ? runs(c.inner)
            : type === 'n' && raw !== ''
              ? numberText(raw)
              : raw
      col++
    }
    if (cells.some((x) => x !== undefined && x.trim() !== ''))
      rows.push({ line, cells: Array.from(cells, (x) => (x ?? '').trim()) })
  }
  return rows
}
