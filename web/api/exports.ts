import type { ExportFormat } from '../../shared/schemas/exports.js'
import type { MonthlyExport, Rollup } from '../../shared/types/exports.js'
import { download, http, openPrintable, qs } from './client.js'

/** The monthly statement, the public board, the township roll-up. */
export const exportsApi = {
  monthly: (vid: string, month: string) =>
    http.get<MonthlyExport>(`/api/villages/${vid}/exports/monthly${qs({ month, format: 'json' })}`),
  /** Saves the statement as a file (CSV with BOM, or a workbook). */
  downloadMonthly: (vid: string, month: string, format: Exclude<ExportFormat, 'json'>) =>
    download(`/api/villages/${vid}/exports/monthly${qs({ month, format })}`, `gongyi-${month}.${format}`),
  /** Opens the printable public board of a month. */
  printBoard: (vid: string, month: string) => openPrintable(`/api/villages/${vid}/board${qs({ month })}`),
  /** Opens every household's passbook of a month, a household per A4 sheet (issue 17). */
  printPassbooks: (vid: string, month: string) => openPrintable(`/api/villages/${vid}/passbooks${qs({ month })}`),
  rollup: (month: string) => http.get<Rollup>(`/api/rollup${qs({ month })}`),
}
