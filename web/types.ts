/** The shapes the web app reads from the API (API.md); fields the contract does not fix are optional. */

export interface Village {
  id: string
  code: string
  name: string
  timezone: string
  noticeDays: number
}

export interface Household {
  id: string
  householdNo: string
  headName: string
  phone?: string | null
  address?: string | null
  hasPin?: boolean
  balance: number
  honour?: number
  suspendedUntil?: string | null
  suspendedReason?: string | null
  members?: { id: string; name: string; relation: string | null; removedAt: string | null }[]
}

export interface Card {
  id: string
  serial: string
  code: string
  svg: string
}

export interface ResolvedCard {
  card: { id: string; serial: string }
  household: Household
}

export interface Product {
  id: string
  sku: string
  name: string
  pointsPrice: number
  unit?: string | null
  category?: string | null
  barcode?: string | null
  stock: number
  lowStockThreshold?: number
  active?: boolean
}

export interface RedemptionLine {
  productId: string
  quantity: number
  points?: number
  unitPoints?: number
  name?: string
}

export interface Redemption {
  id: string
  pointsSpent: number
  balanceAfter: number
  items: RedemptionLine[]
  receiptNo?: string
}

export type Period = 'day' | 'week' | 'month' | 'year'

export interface Rule {
  id: string
  code: string
  name: string
  category: string
  points: number
  limit?: { count: number; period: Period } | null
  evidence?: string | null
  active: boolean
}

export type AwardStatus = 'pending' | 'publicized' | 'posted' | 'rejected' | 'withdrawn'

export interface Award {
  id: string
  ruleId: string
  status: AwardStatus
  occurredOn: string
  note?: string | null
  householdCount?: number
  householdIds?: string[]
  households?: { id: string; householdNo: string; headName: string }[]
  proposedBy?: string
  proposedByName?: string
  proposedAt?: string
  noticeUntil?: string | null
  reason?: string | null
  rule?: { id?: string; code?: string; name: string; category?: string; points: number }
  objections?: { id: string; text: string; at: string; raisedBy?: string }[]
  evidence?: { id: string; url?: string; mime?: string }[]
}

export type EntryKind = 'award' | 'deduction' | 'redemption' | 'reversal' | 'adjustment' | 'expiry'

export interface LedgerEntry {
  id: string
  at: string
  amount: number
  kind: EntryKind
  memo: string
  balanceAfter: number
  reversesId?: string | null
  reversedBy?: string | null
  ruleId?: string | null
}

export interface HouseholdLedger {
  openingBalance: number
  closingBalance: number
  entries: LedgerEntry[]
}

export interface MonthlyRow {
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

export interface MonthlyExport {
  month: string
  households: MonthlyRow[]
  totals: Omit<MonthlyRow, 'householdId' | 'householdNo' | 'headName'>
  entries: (LedgerEntry & { householdId?: string | null })[]
}
