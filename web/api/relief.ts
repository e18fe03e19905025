import type { ReliefInput } from '../../shared/schemas/relief.js'
import type { Page } from '../../shared/types/page.js'
import type { ReliefDistribution, ReliefReport, ReliefSummary } from '../../shared/types/relief.js'
import { download, http, openPrintable, qs } from './client.js'

/** The relief shelf (阳光超市, issue 18): goods given free, the sign-off sheet, the monthly report. */
export const reliefApi = {
  give: (vid: string, body: ReliefInput) => http.post<ReliefDistribution>(`/api/villages/${vid}/relief`, body),
  list: (vid: string, query: { month?: string; limit?: number } = {}) =>
    http.get<Page<ReliefSummary>>(`/api/villages/${vid}/relief${qs({ ...query })}`),
  /** Opens the printable sign-off sheet (签领表). */
  printSheet: (id: string) => openPrintable(`/api/relief/${id}/sheet`),
  report: (vid: string, month: string) => http.get<ReliefReport>(`/api/villages/${vid}/relief/report${qs({ month })}`),
  printReport: (vid: string, month: string) =>
    openPrintable(`/api/villages/${vid}/relief/report${qs({ month, format: 'html' })}`),
  downloadReport: (vid: string, month: string) =>
    download(`/api/villages/${vid}/relief/report${qs({ month, format: 'csv' })}`, `relief-${month}.csv`),
}
