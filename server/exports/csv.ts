import type { StatementRow, StatementTotals } from '../../shared/schemas/exports.js'
import { STATEMENT_HEADERS } from './labels.js'
import type { Statement } from './statement.js'

/** Excel reads UTF-8 only when the file starts with a byte order mark; without it Chinese turns to mojibake. */
export const BOM = '\uFEFF'

/*
 * A cell that starts with = + - @ (or a tab/CR) is a formula to Excel: a household named "=HYPERLINK(…)" must
 * print as text. Only text cells are guarded; numbers (which may be negative) are written as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return String(value)
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export const csvLine = (values: (string | number | null | undefined)[]) => values.map(csvField).join(',') + '\r\n'

const figures = (r: StatementTotals) => [r.opening, r.earned, r.deducted, r.redeemed, r.adjusted, r.closing]

const ROWS_PER_CHUNK = 1000

/** The statement as Excel-ready CSV: header, one line per household, the totals, then what to verify it by. */
export async function* statementCsv(statement: Statement): AsyncGenerator<string> {
  yield BOM + csvLine([...STATEMENT_HEADERS])
  const rows: StatementRow[] = statement.households
  for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) {
    yield rows
      .slice(i, i + ROWS_PER_CHUNK)
      .map((r) => csvLine([r.householdNo, r.headName, ...figures(r)]))
      .join('')
  }
  yield csvLine(['合计', `${rows.length}户`, ...figures(statement.totals)])
  yield '\r\n'
  yield csvLine(['村', `${statement.village.name}（${statement.village.code}）`])
  yield csvLine(['月份', statement.period.label])
  yield csvLine(['账本链头', statement.cut.chainHead])
  yield csvLine(['链头序号', statement.cut.headSeq])
  if (statement.checkpoint) yield csvLine(['签名检查点', JSON.stringify(statement.checkpoint)])
}
