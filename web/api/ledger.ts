import type { HouseholdLedger, LedgerLine, VerifyResult } from '../../shared/types/ledger.js'
import { http, openPrintable, qs } from './client.js'

/** A household's ledger, reversals, and the village chain's check. */
export const ledger = {
  household: (householdId: string, query: { month?: string } = {}) => http.get<HouseholdLedger>(`/api/households/${householdId}/ledger${qs(query)}`),
  reverse: (entryId: string, reason: string) => http.post<LedgerLine>(`/api/ledger/${entryId}/reverse`, { reason }),
  verify: (vid: string) => http.get<VerifyResult>(`/api/villages/${vid}/ledger/verify`),
  /** Opens the household's printable passbook of a month. */
  printPassbook: (householdId: string, month: string) => openPrintable(`/api/households/${householdId}/passbook${qs({ month })}`),
}
