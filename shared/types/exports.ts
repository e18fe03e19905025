/** The monthly export's and the township roll-up's answers (server/exports, read by the web app's dashboard and exports pages). */

/** One household's line of the monthly statement: opening + earned − deducted − redeemed + adjusted = closing. */
export interface StatementRow {
  householdId: string
  householdNo: string
  headName: string
  opening: number
  earned: number
  deducted: number
  redeemed: number
  adjusted: number
  closing: number
}

export type StatementTotals = Pick<
  StatementRow,
  'opening' | 'earned' | 'deducted' | 'redeemed' | 'adjusted' | 'closing'
>

/** One ledger entry as the export lists it: with the household, the rule and the operator by name. */
export interface ExportEntry {
  id: string
  seq: number
  at: string
  kind: string
  householdId: string | null
  householdNo: string | null
  amount: number
  balanceAfter: number
  memo: string
  occurredOn: string | null
  ruleId: string | null
  ruleCode: string | null
  ruleName: string | null
  operator: string | null
  reversesId: string | null
  hash: string
}

export interface ExportStockMove {
  id: number
  at: string
  kind: string
  productId: string
  sku: string
  productName: string
  quantity: number
  /** The points price when the goods moved (null on moves older than migration 0003). */
  unitPoints: number | null
  reason: string | null
  receiptId: string | null
  redemptionId: string | null
}

export interface RollupVillage extends StatementTotals {
  rank: number
  villageId: string
  code: string
  name: string
  households: number
  /** Households with at least one award posted in the month. */
  participating: number
  /** participating / households, 0..1, rounded to 4 decimals. */
  participationRate: number
  issued: number
  outstanding: number
}

/** GET /api/villages/:vid/exports/monthly?format=json */
export interface MonthlyExport {
  month: string
  village?: { id: string; code: string; name: string }
  households: StatementRow[]
  totals: StatementTotals
  entries: ExportEntry[]
}

/** GET /api/rollup?month= */
export interface Rollup {
  villages: RollupVillage[]
}
