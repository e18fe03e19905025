import type { ExportEntry, StatementRow, StatementTotals } from '../shared/schemas/exports'
import type { Award } from '../shared/types/awards'
import type { Household } from '../shared/types/households'
import type { LedgerLine } from '../shared/types/ledger'

/*
 * Answers the server builds inline (no declared type there) as the web app reads them. Every shape the server
 * declares (Household, Rule, Award, Village, Product, Redemption, IssuedCard, LedgerLine) is imported from
 * shared/types/*, the one definition the server uses too.
 */

/** POST /api/villages/:vid/cards/resolve: the card and its household. */
export interface ResolvedCard {
  card: { id: string; serial: string }
  household: Household
}

/** An award as the list (with its rule) and the detail (everything) extend it; what only the detail has is optional. */
export type AwardDetail = Award & {
  rule?: { id?: string; code?: string; name: string; category?: string; points: number }
  households?: { id: string; householdNo: string; headName: string }[]
  proposedByName?: string | null
  objections?: { id: string; text: string; at: string; raisedBy?: string | null }[]
  evidence?: { id: string; mime?: string }[]
}

/** GET /api/households/:id/ledger */
export interface HouseholdLedger {
  householdId: string
  month: string | null
  openingBalance: number
  closingBalance: number
  entries: LedgerLine[]
}

/** GET /api/villages/:vid/exports/monthly?format=json */
export interface MonthlyExport {
  month: string
  households: StatementRow[]
  totals: StatementTotals
  entries: ExportEntry[]
}
