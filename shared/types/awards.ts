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
