/** An award as the API answers it (server/awards, read by the web app). */

export type AwardStatus = 'pending' | 'publicized' | 'posted' | 'rejected' | 'withdrawn'

export interface Award {
  id: string
  villageId: string
  ruleId: string
  occurredOn: string
  note: string | null
  status: AwardStatus
  householdCount: number
  proposedBy: string
  proposedAt: string
  noticeUntil: string | null
  decidedAt: string | null
  reason: string | null
  postedAt: string | null
}

/** A household that one more application of a rule would take over its limit (RULE_LIMIT_EXCEEDED details). */
export interface LimitProblem {
  householdId: string
  householdNo: string
  headName: string
  /** posted entries of the rule in the period */
  count: number
  /** other awards of the rule still pending or on notice (counted when proposing) */
  pending: number
  limit: number
  period: 'day' | 'week' | 'month' | 'year'
  from: string
  to: string
}

/** An award as the list (with its rule) and the detail (everything) extend it; what only the detail has is optional. */
export type AwardDetail = Award & {
  rule?: { id?: string; code?: string; name: string; category?: string; points: number }
  households?: {
    id: string
    householdNo: string
    headName: string
    memberId?: string | null
    memberName?: string | null
    excludedReason?: string | null
  }[]
  approvals?: { userId: string; username: string | null; at: string }[]
  requiredApprovals?: number
  /** pending awards: the households a rule limit would refuse if it posted now */
  limitProblems?: LimitProblem[]
  proposedByName?: string | null
  objections?: { id: string; text: string; at: string; raisedBy?: string | null }[]
  evidence?: { id: string; mime?: string }[]
}

/** Points the households hold against the goods on the shelves, in points. */
export interface Budget {
  outstanding: number
  stockValue: number
}

/** POST /api/awards/:id/approve: posted, or publicized until noticeUntil; a warning when the goods no longer cover the points. */
export interface ApproveResult {
  status: AwardStatus
  noticeUntil?: string | null
  budgetWarning?: Budget | null
}

/** POST /api/awards/:id/reject and /withdraw. */
export interface DecisionResult {
  status: AwardStatus
}
