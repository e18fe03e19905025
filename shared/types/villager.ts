import type { Award } from './awards.js'
import type { LedgerLine } from './ledger.js'

/*
 * What the villager's own page (/me) reads: the household signed in from its card, and nothing of anyone
 * else's but what the village board shows (masked names).
 */

export interface VillagerHousehold {
  id: string
  householdNo: string
  headName: string
}

export interface VillagerLogin {
  token: string
  household: VillagerHousehold
}

export interface MeAccount {
  household: VillagerHousehold & { members: { id: string; name: string }[] }
  village: { name: string }
  balance: number
  honour: number
  /** Place by honour (lifetime points earned minus deducted); households with equal honour share a place. */
  rank: { position: number; of: number; by: 'honour' }
}

/** A ledger entry as the household reads it: the rule in words, the member named, its own award's photos. */
export interface MeLedgerLine extends LedgerLine {
  ruleName: string | null
  memberName: string | null
  evidenceIds: string[]
}

export interface MeLedger {
  month: string | null
  openingBalance: number
  closingBalance: number
  entries: MeLedgerLine[]
}

export interface MeNotice {
  id: string
  rule: { name: string; points: number; category: string }
  occurredOn: string
  note: string | null
  noticeUntil: string | null
  /** Other households' head names masked as on the board (许*福); the household's own in full. */
  households: { householdNo: string; headName: string; mine: boolean }[]
  objections: number
}

export interface Claim {
  id: string
  householdId: string
  householdNo: string
  headName: string
  memberId: string | null
  memberName: string | null
  ruleId: string | null
  ruleName: string | null
  description: string
  occurredOn: string
  status: 'submitted' | 'accepted' | 'declined'
  hasPhoto: boolean
  submittedAt: string
  awardId: string | null
  reply: string | null
  decidedBy: string | null
  decidedAt: string | null
}

/** POST /api/me/claims: the claim is in the committee's queue. */
export interface SubmittedClaim {
  id: string
  status: 'submitted'
}

/** POST /api/claims/:id/accept: the claim, and the award proposal it became. */
export interface AcceptedClaim extends Claim {
  award: Award
}

export interface MeProduct {
  id: string
  name: string
  category: string | null
  unit: string | null
  pointsPrice: number
  stock: number
}

export interface MeRule {
  id: string
  name: string
  category: string
  points: number
}
