import type { Generated, Insertable, Selectable } from 'kysely'

/** Table types, one per table of db/migrations. Column names are the database's (snake_case). */
export interface Database {
  settings: { key: string; value: string }
  villages: VillageTable
  redemption_conflicts: RedemptionConflictTable
  counters: CounterTable
  users: UserTable
  login_failures: { id: Generated<number>; username: string; at: string; address: string | null }
  adjustments: AdjustmentTable
  revoked_tokens: { jti: string; user_id: string; expires_at: string }
  audit_log: AuditTable
  households: HouseholdTable
  household_members: MemberTable
  cards: CardTable
  rules: RuleTable
  awards: AwardTable
  award_households: {
    village_id: string
    award_id: string
    household_id: string
    member_id: string | null
    /** 0070: left out by the approver when a rule limit would be exceeded. */
    excluded_reason?: string | null
    excluded_by?: string | null
    excluded_at?: string | null
  }
  award_approvals: { village_id: string; award_id: string; user_id: string; at: string }
  award_objections: { id: string; village_id: string; award_id: string; text: string; raised_by: string; at: string }
  award_evidence: { id: string; village_id: string; award_id: string; mime: string; bytes: Buffer; at: string }
  accounts: AccountTable
  ledger_entries: LedgerEntryTable
  ledger_postings: { id: Generated<number>; village_id: string; entry_id: string; account_id: string; amount: number }
  expiry_runs: { village_id: string; year: number; at: string; households: number; points: number }
  products: ProductTable
  stock_receipts: StockReceiptTable
  redemptions: RedemptionTable
  redemption_lines: {
    village_id: string
    redemption_id: string
    product_id: string
    quantity: number
    unit_points: number
    points: number
  }
  stock_moves: StockMoveTable
  idempotency_keys: IdempotencyTable
  stocktakes: { id: string; village_id: string; note: string | null; at: string; created_by: string | null }
  /** The card-resolve allowance per user (0005), shared by all server processes. */
  rate_buckets: { key: string; tokens: number; at: number }
  stocktake_lines: { village_id: string; stocktake_id: string; product_id: string; expected: number; counted: number }
  villager_sessions: {
    id: string
    village_id: string
    household_id: string
    card_id: string
    created_at: string
    ended_at: string | null
  }
  claims: ClaimTable
  /** A household's categories (0080, issue 18). */
  household_tags: { village_id: string; household_id: string; tag: string; added_at: string; added_by: string | null }
  /** The relief shelf (0081, issue 18): a handing-out of free goods, and each household's share of it. */
  relief_distributions: {
    id: string
    village_id: string
    note: string
    tag: string | null
    household_count: number
    at: string
    created_by: string | null
  }
  relief_shares: {
    village_id: string
    relief_id: string
    household_id: string
    product_id: string
    quantity: number
    unit_points: number
  }
  /** The last receipt number given in a village on a day (0095). */
  receipt_counters: { village_id: string; day: string; last: number }
}

/** A household's 申报 (0030). */
export interface ClaimTable {
  id: string
  village_id: string
  household_id: string
  member_id: string | null
  rule_id: string | null
  description: string
  occurred_on: string
  status: 'submitted' | 'accepted' | 'declined'
  photo_mime: string | null
  photo_base64: string | null
  submitted_at: string
  award_id: string | null
  reply: string | null
  decided_by: string | null
  decided_at: string | null
}

export interface VillageTable {
  id: string
  code: string
  name: string
  timezone: Generated<string>
  notice_days: Generated<number>
  required_approvals: Generated<number>
  annual_reset: string | null
  mask_names: Generated<number>
  created_at: string
  /** Points a household may spend a day at a counter that is offline (0020). */
  offline_allowance: Generated<number>
}

export interface UserTable {
  id: string
  username: string
  password_hash: string
  roles: string
  village_id: string | null
  display_name: string | null
  active: Generated<number>
  token_version: Generated<number>
  created_at: string
  /** 1: the password was generated at first start; only POST /auth/password (and me/logout) work until it is changed. */
  must_change_password: Generated<number>
}

/** An approver's proposed adjustment (0041): posts only when a second approver approves it. */
export interface AdjustmentTable {
  id: string
  village_id: string
  household_id: string
  amount: number
  reason: string
  status: 'pending' | 'posted' | 'rejected'
  proposed_by: string
  proposed_at: string
  decided_by: string | null
  decided_at: string | null
  reject_reason: string | null
  entry_id: string | null
}

export interface AuditTable {
  id: string
  village_id: string | null
  user_id: string | null
  username: string | null
  action: string
  target: string
  status: number
  outcome: string
  at: string
  household_id: Generated<string | null>
  /** JSON {field: [before, after]} for an update (0041). */
  changes: Generated<string | null>
}

export interface HouseholdTable {
  id: string
  village_id: string
  household_no: string
  head_name: string
  phone: string | null
  address: string | null
  pin_hash: string | null
  search_key: string
  honour: Generated<number>
  pin_failures: Generated<number>
  pin_locked_until: string | null
  suspended_until: string | null
  suspended_reason: string | null
  created_at: string
  updated_at: string
}

export interface MemberTable {
  id: string
  village_id: string
  household_id: string
  name: string
  relation: string | null
  added_at: string
  removed_at: string | null
  /** 党员 (0080): 0 or 1. */
  party_member: Generated<number>
}

export interface CardTable {
  id: string
  village_id: string
  household_id: string
  serial: string
  status: 'active' | 'revoked'
  issued_at: string
  issued_by: string | null
  revoked_at: string | null
}

export interface RuleTable {
  id: string
  village_id: string
  code: string
  name: string
  category: string
  points: number
  limit_count: number | null
  limit_period: 'day' | 'week' | 'month' | 'year' | null
  evidence: string | null
  active: Generated<number>
  created_at: string
}

export type AwardStatus = 'pending' | 'rejected' | 'publicized' | 'posted' | 'withdrawn'

export interface AwardTable {
  id: string
  village_id: string
  rule_id: string
  occurred_on: string
  note: string | null
  status: AwardStatus
  household_count: number
  proposed_by: string
  proposed_at: string
  notice_until: string | null
  decided_at: string | null
  reason: string | null
  posted_at: string | null
}

export type AccountKind = 'household' | 'issuance' | 'penalties' | 'supermarket' | 'expired'

export interface AccountTable {
  id: string
  village_id: string
  kind: AccountKind
  household_id: string | null
  balance: Generated<number>
}

export type EntryKind = 'award' | 'deduction' | 'redemption' | 'reversal' | 'adjustment' | 'expiry'

export interface LedgerEntryTable {
  id: string
  village_id: string
  seq: number
  at: string
  kind: EntryKind
  household_id: string | null
  amount: number
  balance_after: number
  memo: string
  occurred_on: string | null
  rule_id: string | null
  award_id: string | null
  redemption_id: string | null
  reverses_id: string | null
  created_by: string | null
  prev_hash: string
  hash: string
}

export interface ProductTable {
  id: string
  village_id: string
  sku: string
  name: string
  category: string | null
  unit: string | null
  barcode: string | null
  points_price: number
  low_stock_threshold: Generated<number>
  active: Generated<number>
  stock: Generated<number>
  created_at: string
}

export interface StockReceiptTable {
  id: string
  village_id: string
  /** 0070: JZ-2026-0007, per village and year; null on receipts made before. */
  receipt_no?: string | null
  donor: string | null
  donor_org: string | null
  note: string | null
  at: string
  created_by: string | null
}

export interface RedemptionTable {
  id: string
  village_id: string
  receipt_no: string
  household_id: string
  card_id: string | null
  points_spent: number
  balance_after: number
  ledger_entry_id: string
  at: string
  cashier_id: string
  voided_at: string | null
  voided_by: string | null
  void_reason: string | null
  void_entry_id: string | null
}

export type StockMoveKind = 'receipt' | 'redemption' | 'void' | 'adjustment' | 'stocktake' | 'relief'

export interface StockMoveTable {
  id: Generated<number>
  village_id: string
  product_id: string
  kind: StockMoveKind
  quantity: number
  receipt_id: string | null
  redemption_id: string | null
  best_before: string | null
  reason: string | null
  at: string
  created_by: string | null
  /** The points price when the goods moved (0003). */
  unit_points: number | null
  /** The count that made a 'stocktake' move (0003). */
  stocktake_id: string | null
  /** The relief distribution of a 'relief' move (0081). */
  relief_id: Generated<string | null>
}

export interface IdempotencyTable {
  village_id: string
  key: string
  request_hash: string
  status: number
  response: string
  created_at: string
}

export type Row<T extends keyof Database> = Selectable<Database[T]>
export type NewRow<T extends keyof Database> = Insertable<Database[T]>

/** An offline sale the server could not post (0020): kept until an approver settles it. */
export interface RedemptionConflictTable {
  id: string
  village_id: string
  idempotency_key: string
  counter_id: string | null
  sold_at: string
  household_id: string | null
  card_id: string | null
  /** JSON: [{productId, quantity}] as the counter sold them. */
  items: string
  /** Points the counter charged offline. */
  points: number
  error_code: string
  error_message: string
  received_at: string
  received_by: string
  status: Generated<'open' | 'settled'>
  settled_action: 'charge-available' | 'returned' | null
  settled_reason: string | null
  settled_by: string | null
  settled_at: string | null
  charged: number | null
  written_off: number | null
  ledger_entry_id: string | null
}

/** What a counter tablet last reported of its unsynced sales (0020). */
export interface CounterTable {
  village_id: string
  counter_id: string
  pending: number
  oldest_pending_at: string | null
  last_seen_at: string
  user_id: string | null
}
