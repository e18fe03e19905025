import { constants, crc32, deflateRawSync } from 'node:zlib'
import { Zip, ZipPassThrough } from 'fflate'
import { reliefLines } from '../relief/relief.service.js'
import type { DB } from '../../db/database.js'
import type { StatementTotals } from '../../shared/schemas/exports.js'
import { localClock } from '../../shared/time.js'
import { exportEntryPages, stockMovePages } from './entries.js'
import { kindLabel, STATEMENT_HEADERS, stockKindLabel } from './labels.js'
import type { Statement } from './statement.js'

export const SHEETS = { statement: '结算表', entries: '流水明细', stock: '库存变动', relief: '救助发放' } as const

export const ENTRY_HEADERS = [
  '序号',
  '入账时间',
  '户号',
  '类型',
  '积分',
  '余额',
  '规则编号',
  '规则名称',
  '经办人',
  '摘要',
  '事由日期',
  '哈希',
] as const
export const STOCK_HEADERS = ['时间', '商品编号', '商品名称', '类型', '数量', '积分单价', '原因'] as const

/*
 * The monthly workbook, written as SpreadsheetML text straight into a zip stream (fflate), sheet after sheet.
 *
 * exceljs's streaming writer built a row object, a cell object per value and a style lookup for each of a
 * county's million entries: 44 s for one month. A sheet here is one template string per row, encoded and
 * deflated a page at a time: no per-cell objects, memory flat (one page of XML and the zip's window). Cells
 * are inline strings (no shared-string table to keep in memory) or numbers; one style, bold, for headers and
 * totals. fflate: no dependencies, a synchronous streaming zip container (the sheets deflated by zlib, below) (so the generator yields only what was already
 * compressed, and runs as fast as its reader pulls), the same code in a worker thread or on the main thread.
 */

type Cell = string | number | null | undefined

/** Deflate level: 1 is ~3× faster than 6 on this XML and the file ~25% larger; the month-end export is time-bound. */
const LEVEL = 1

/**
 * A zip member deflated by Node's zlib (C) instead of fflate's JavaScript deflate, which was ~18% of the export's
 * time. Each piece is deflated on its own and ended with a sync flush (byte-aligned, not final); the last piece
 * ends the stream: pieces concatenated this way are one valid DEFLATE stream (each simply starts a fresh window,
 * which costs a little size on pieces of this length). The CRC is zlib's too.
 */
export class NativeDeflate extends ZipPassThrough {
  private sum = 0
  constructor(
    filename: string,
    private readonly level: number,
  ) {
    super(filename)
    this.compression = 8
  }
  override push(chunk: Uint8Array, final = false): void {
    this.sum = crc32(chunk, this.sum)
    this.size += chunk.length
    if (final) this.crc = this.sum
    this.process(chunk as Uint8Array<ArrayBuffer>, final)
  }
  protected override process(chunk: Uint8Array<ArrayBuffer>, final: boolean): void {
    const flush = final ? constants.Z_FINISH : constants.Z_SYNC_FLUSH
    this.ondata(null, deflateRawSync(chunk, { level: this.level, finishFlush: flush }), final)
  }
}

// Characters XML 1.0 forbids (a memo pasted from elsewhere may hold them): dropped, as Excel would refuse the file.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g
const SPECIAL = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/

export function xmlText(s: string): string {
  if (!SPECIAL.test(s)) return s
  return s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

const COLUMNS = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i))

/** One row of cells; `style` 1 is bold. Empty cells (null, undefined) are left out, as Excel does. */
function rowXml(n: number, cells: readonly Cell[], style = 0): string {
  const s = style ? ` s="${style}"` : ''
  let xml = `<row r="${n}">`
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i]
    if (v === null || v === undefined) continue
    const ref = `${COLUMNS[i]}${n}`
    if (typeof v === 'number') xml += `<c r="${ref}"${s}><v>${v}</v></c>`
    else {
      const text = xmlText(v)
      const space = text !== text.trim() ? ' xml:space="preserve"' : ''
      xml += `<c r="${ref}"${s} t="inlineStr"><is><t${space}>${text}</t></is></c>`
    }
  }
  return xml + '</row>'
}

function sheetStart(widths: number[]): string {
  const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`
  )
}
const SHEET_END = '</sheetData></worksheet>'

const ORDER = [SHEETS.statement, SHEETS.entries, SHEETS.stock, SHEETS.relief]

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  ORDER.map(
    (_, i) =>
      `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  ).join('') +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
  '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
  '</Types>'

const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
  '</Relationships>'

const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
  '<bookViews><workbookView/></bookViews><sheets>' +
  ORDER.map((name, i) => `<sheet name="${xmlText(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
  '</sheets></workbook>'

const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  ORDER.map(
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  ).join('') +
  `<Relationship Id="rId${ORDER.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
  '</Relationships>'

/** Two cell formats: 0 plain, 1 bold. */
const STYLES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>'

const core = (at: string) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  `<dc:creator>Gongyi</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created></cp:coreProperties>`

const APP =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Gongyi</Application></Properties>'

const figures = (r: StatementTotals) => [r.opening, r.earned, r.deducted, r.redeemed, r.adjusted, r.closing]

/** The statement sheet, in pieces of about a thousand rows. */
function* statementSheet(s: Statement): Generator<string> {
  yield sheetStart([14, 12, ...STATEMENT_HEADERS.slice(2).map(() => 10)]) + rowXml(1, STATEMENT_HEADERS, 1)
  let n = 1
  for (let i = 0; i < s.households.length; i += 1000) {
    let xml = ''
    for (const r of s.households.slice(i, i + 1000)) xml += rowXml(++n, [r.householdNo, r.headName, ...figures(r)])
    yield xml
  }
  yield rowXml(++n, ['合计', `${s.households.length}户`, ...figures(s.totals)], 1) +
    `<row r="${++n}"/>` +
    rowXml(++n, ['村', `${s.village.name}（${s.village.code}）`]) +
    rowXml(++n, ['月份', s.period.label]) +
    rowXml(++n, ['账本链头', s.cut.chainHead]) +
    rowXml(++n, ['链头序号', s.cut.headSeq]) +
    (s.checkpoint ? rowXml(++n, ['签名检查点', JSON.stringify(s.checkpoint)]) : '') +
    SHEET_END
}

/** Every entry of the statement's cut, a page (entries.ts: PAGE rows) per piece. */
async function* entriesSheet(db: DB, s: Statement): AsyncGenerator<string> {
  yield sheetStart([8, 17, 14, 8, 8, 8, 10, 16, 12, 30, 11, 66]) + rowXml(1, ENTRY_HEADERS, 1)
  const local = localClock(s.village.timezone)
  let n = 1
  for await (const page of exportEntryPages(db, s)) {
    let xml = ''
    for (const e of page) {
      xml += rowXml(++n, [
        e.seq,
        local(e.at),
        e.householdNo,
        kindLabel(e.kind),
        e.amount,
        e.balanceAfter,
        e.ruleCode,
        e.ruleName,
        e.operator,
        e.memo,
        e.occurredOn,
        e.hash,
      ])
    }
    yield xml
  }
  yield SHEET_END
}

async function* stockSheet(db: DB, s: Statement): AsyncGenerator<string> {
  yield sheetStart([17, 14, 20, 10, 8, 10, 30]) + rowXml(1, STOCK_HEADERS, 1)
  const local = localClock(s.village.timezone)
  let n = 1
  for await (const page of stockMovePages(db, s.village.id, s.period)) {
    let xml = ''
    for (const m of page)
      xml += rowXml(++n, [
        local(m.at),
        m.sku,
        m.productName,
        stockKindLabel(m.kind),
        m.quantity,
        m.unitPoints,
        m.reason,
      ])
    yield xml
  }
  yield SHEET_END
}

const RELIEF_HEADERS = ['时间', '事由', '户号', '户主', '类别', '物资', '单位', '数量', '单价(积分)']

/** The month's relief (阳光超市, issue 18): a line per household and product; goods given free, no points. */
async function* reliefSheet(db: DB, s: Statement): AsyncGenerator<string> {
  yield sheetStart([17, 24, 10, 10, 16, 16, 6, 8, 10]) + rowXml(1, RELIEF_HEADERS, 1)
  const local = localClock(s.village.timezone)
  let n = 1
  let xml = ''
  for (const l of await reliefLines(db, s.village.id, s.period)) {
    xml += rowXml(++n, [
      local(l.at),
      l.note,
      l.householdNo,
      l.headName,
      l.tags.join('、'),
      l.productName,
      l.unit,
      l.quantity,
      l.unitPoints,
    ])
  }
  yield xml + SHEET_END
}

/**
 * The monthly workbook as zip bytes, produced as the reader pulls: the statement, every entry, and the stock
 * movements. Each yielded chunk is what the zip wrote for one piece of a sheet (or nothing yet: then the
 * generator goes on to the next piece before yielding).
 */
export async function* statementXlsx(db: DB, s: Statement): AsyncGenerator<Uint8Array> {
  let out: Uint8Array[] = []
  let failure: Error | null = null
  const zip = new Zip((err, chunk) => {
    if (err) failure = err
    else out.push(chunk)
  })
  const encoder = new TextEncoder()
  const take = () => {
    if (failure) throw failure
    const chunks = out
    out = []
    return chunks
  }
  const small = (name: string, text: string) => {
    const f = new ZipPassThrough(name)
    zip.add(f)
    f.push(encoder.encode(text), true)
  }
  small('[Content_Types].xml', CONTENT_TYPES)
  small('_rels/.rels', ROOT_RELS)
  small('docProps/core.xml', core(new Date().toISOString().replace(/\.\d+Z$/, 'Z')))
  small('docProps/app.xml', APP)
  small('xl/workbook.xml', WORKBOOK)
  small('xl/_rels/workbook.xml.rels', WORKBOOK_RELS)
  small('xl/styles.xml', STYLES)
  yield* take()
  const sheets: (Iterable<string> | AsyncIterable<string>)[] = [
    statementSheet(s),
    entriesSheet(db, s),
    stockSheet(db, s),
    reliefSheet(db, s),
  ]
  for (const [i, pieces] of sheets.entries()) {
    const file = new NativeDeflate(`xl/worksheets/sheet${i + 1}.xml`, LEVEL)
    zip.add(file)
    for await (const xml of pieces) {
      file.push(encoder.encode(xml))
      yield* take()
    }
    file.push(new Uint8Array(0), true)
    yield* take()
  }
  zip.end()
  yield* take()
}
