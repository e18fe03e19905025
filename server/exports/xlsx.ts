import { once } from 'node:events'
import { PassThrough, Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { DB } from '../../db/database.js'
import type { StatementTotals } from '../../shared/schemas/exports.js'
import { exportEntryPages, stockMovePages } from './entries.js'
import { localClock } from '../../shared/time.js'
import { kindLabel, STATEMENT_HEADERS, stockKindLabel } from './labels.js'
import type { Statement } from './statement.js'

export const SHEETS = { statement: '结算表', entries: '流水明细', stock: '库存变动' } as const

export const ENTRY_HEADERS = ['序号', '入账时间', '户号', '类型', '积分', '余额', '规则编号', '规则名称', '经办人', '摘要', '事由日期', '哈希'] as const
export const STOCK_HEADERS = ['时间', '商品编号', '商品名称', '类型', '数量', '积分单价', '原因'] as const

type Sheet = ExcelJS.Worksheet
const bold = { font: { bold: true } }

function header(sheet: Sheet, values: readonly string[]) {
  const row = sheet.addRow([...values])
  row.font = bold.font
  row.commit()
}

const figures = (r: StatementTotals) => [r.opening, r.earned, r.deducted, r.redeemed, r.adjusted, r.closing]

/** Uncompressed sheet XML allowed to wait for the zip's deflate before the writer pauses. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024

/*
 * exceljs's sheet stream (StreamBuf) pushes into the zip without backpressure, so when rows are made faster
 * than deflate compresses them the sheet piles up in memory (800 MB for a county). The zip reads each sheet
 * through a PassThrough piped from it: its buffered bytes are the queue we wait on. Read-only use of
 * exceljs 4.4 internals; should they change, the writer still works, only without this pacing.
 */
function queuedBytes(sheet: Sheet): number {
  const buf = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream
  let queued = 0
  for (const p of buf?.pipes ?? []) {
    // archiver's PassThrough comes from readable-stream, which keeps its counts in the stream states.
    const s = p as { _writableState?: { length?: number }; _readableState?: { length?: number } }
    queued += (s._writableState?.length ?? 0) + (s._readableState?.length ?? 0)
  }
  return queued
}

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 2))

/** Waits while the zip or the client is behind, so neither a big sheet nor a slow download piles up in memory. */
async function keepPace(sheet: Sheet, out: PassThrough) {
  for (;;) {
    if (out.destroyed) throw new Error('the client went away')
    if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')])
    else if (queuedBytes(sheet) > MAX_QUEUED_BYTES) await pause()
    else return
  }
}

function writeStatementSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, s: Statement) {
  const sheet = wb.addWorksheet(SHEETS.statement, { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = [{ width: 14 }, { width: 12 }, ...STATEMENT_HEADERS.slice(2).map(() => ({ width: 10 }))]
  header(sheet, STATEMENT_HEADERS)
  for (const r of s.households) sheet.addRow([r.householdNo, r.headName, ...figures(r)]).commit()
  const totals = sheet.addRow(['合计', `${s.households.length}户`, ...figures(s.totals)])
  totals.font = bold.font
  totals.commit()
  sheet.addRow([]).commit()
  sheet.addRow(['村', `${s.village.name}（${s.village.code}）`]).commit()
  sheet.addRow(['月份', s.period.label]).commit()
  sheet.addRow(['账本链头', s.cut.chainHead]).commit()
  sheet.addRow(['链头序号', s.cut.headSeq]).commit()
  sheet.commit()
}

async function writeEntriesSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, db: DB, s: Statement, out: PassThrough) {
  const sheet = wb.addWorksheet(SHEETS.entries, { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = [8, 17, 14, 8, 8, 8, 10, 16, 12, 30, 11, 66].map((width) => ({ width }))
  header(sheet, ENTRY_HEADERS)
  const local = localClock(s.village.timezone)
  for await (const page of exportEntryPages(db, s)) {
    for (const e of page) {
      sheet.addRow([
        e.seq, local(e.at), e.householdNo, kindLabel(e.kind), e.amount, e.balanceAfter, e.ruleCode, e.ruleName, e.operator,
        e.memo, e.occurredOn, e.hash,
      ]).commit()
    }
    await keepPace(sheet, out)
  }
  sheet.commit()
}

async function writeStockSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, db: DB, s: Statement, out: PassThrough) {
  const sheet = wb.addWorksheet(SHEETS.stock, { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = [17, 14, 20, 10, 8, 10, 30].map((width) => ({ width }))
  header(sheet, STOCK_HEADERS)
  const local = localClock(s.village.timezone)
  for await (const page of stockMovePages(db, s.village.id, s.period)) {
    for (const m of page) sheet.addRow([local(m.at), m.sku, m.productName, stockKindLabel(m.kind), m.quantity, m.unitPoints, m.reason]).commit()
    await keepPace(sheet, out)
  }
  sheet.commit()
}

/*
 * The workbook is written with exceljs's streaming writer, sheet after sheet (the zip takes one entry at a
 * time), rows committed as they are written and no shared-string table: memory stays flat for a county.
 */
async function writeWorkbook(db: DB, s: Statement, out: PassThrough) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  wb.creator = 'Gongyi'
  writeStatementSheet(wb, s)
  await writeEntriesSheet(wb, db, s, out)
  await writeStockSheet(wb, db, s, out)
  await wb.commit()
}

/** The monthly workbook as a web stream: the statement, every entry, and the stock movements. */
export function statementXlsx(db: DB, s: Statement): ReadableStream<Uint8Array> {
  const out = new PassThrough()
  writeWorkbook(db, s, out).catch((err) => {
    if (!out.destroyed) console.error(JSON.stringify({ level: 'error', what: 'xlsx export failed', error: String(err?.stack ?? err) }))
    out.destroy(err)
  })
  return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>
}
