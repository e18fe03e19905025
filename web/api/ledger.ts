import type {
  Adjustment,
  BalanceCheck,
  Checkpoint,
  HouseholdLedger,
  LedgerLine,
  VerifyResult,
} from '../../shared/types/ledger.js'
import type { Page } from '../../shared/types/page.js'
import { http, openPrintable, qs } from './client.js'

/** A household's ledger, reversals, and the village chain's check. */
export const ledger = {
  household: (householdId: string, query: { month?: string } = {}) =>
    http.get<HouseholdLedger>(`/api/households/${householdId}/ledger${qs(query)}`),
  reverse: (entryId: string, reason: string) => http.post<LedgerLine>(`/api/ledger/${entryId}/reverse`, { reason }),
  verify: (vid: string) => http.get<VerifyResult>(`/api/villages/${vid}/ledger/verify`),
  /** The chain checked against checkpoints held outside the office (pasted or uploaded by the auditor). */
  verifyWith: (vid: string, checkpoints: unknown[]) =>
    http.post<VerifyResult>(`/api/villages/${vid}/ledger/verify`, { checkpoints }),
  checkpoint: (vid: string) => http.get<Checkpoint>(`/api/villages/${vid}/ledger/checkpoint`),
  balanceCheck: (vid: string) => http.get<BalanceCheck>(`/api/villages/${vid}/ledger/balance-check`),
  /** Adjustments waiting for a second approver (the approval queue, beside the awards). */
  adjustments: (vid: string, status: Adjustment['status'] = 'pending') =>
    http.get<Page<Adjustment>>(`/api/villages/${vid}/adjustments${qs({ status })}`),
  approveAdjustment: (id: string) => http.post<Adjustment & { balanceAfter: number }>(`/api/adjustments/${id}/approve`),
  rejectAdjustment: (id: string, reason: string) => http.post<Adjustment>(`/api/adjustments/${id}/reject`, { reason }),
  /** Opens the household's printable passbook of a month. */
  printPassbook: (householdId: string, month: string) =>
    openPrintable(`/api/households/${householdId}/passbook${qs({ month })}`),
}
