/** One entry of a household's ledger with its running balance, as the API answers it (server/ledger, read by the web app). */
export interface LedgerLine {
  id: string
  seq: number
  at: string
  amount: number
  kind: string
  memo: string
  balanceAfter: number
  occurredOn: string | null
  ruleId: string | null
  awardId: string | null
  redemptionId: string | null
  reversesId: string | null
  reversedBy: string | null
  createdBy: string | null
}

/** GET /api/households/:id/ledger */
export interface HouseholdLedger {
  householdId: string
  month: string | null
  openingBalance: number
  closingBalance: number
  entries: LedgerLine[]
}

/** GET /api/villages/:vid/ledger/verify */
export interface VerifyResult {
  ok: boolean
  entries: number
  head: string
  firstBad?: { entryId: string | null; seq: number | null; problem: string }
  checkpoints?: {
    checked: number
    failed: { checkpoint: { villageId: string; seq: number; head: string; at: string }; problem: string }[]
  }
}

/** A signed witness of a village chain's head (GET /villages/:vid/ledger/checkpoint). */
export interface Checkpoint {
  villageId: string
  seq: number
  head: string
  at: string
  signature: string
  keyId?: string
}

export interface BalanceCheck {
  ok: boolean
  mismatches: { householdId: string; householdNo: string; headName: string; balance: number; ledger: number }[]
}

/** A manual adjustment: a proposal until a second approver approves it (issue 13). */
export interface Adjustment {
  id: string
  villageId: string
  householdId: string
  amount: number
  reason: string
  status: 'pending' | 'posted' | 'rejected'
  proposedBy: string
  proposedAt: string
  decidedBy: string | null
  decidedAt: string | null
  rejectReason: string | null
  entryId: string | null
  /** In the list: the household as the queue shows it. */
  householdNo?: string
  headName?: string
}
