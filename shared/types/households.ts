/** A household as the API answers it (server/households, read by the web app): one definition for both. */

export interface Member {
  id: string
  name: string
  relation: string | null
  addedAt: string
  removedAt: string | null
  /** 党员 (issue 18). */
  partyMember: boolean
}

export interface Household {
  id: string
  villageId: string
  householdNo: string
  headName: string
  phone: string | null
  address: string | null
  hasPin: boolean
  balance: number
  honour: number
  suspendedUntil: string | null
  suspendedReason: string | null
  createdAt: string
  /** Its categories (低保, 五保, 党员户 …: shared/schemas/tags.ts), in the catalogue's order. */
  tags: string[]
  members?: Member[]
  /** In a search answer: the member whose name matched, when the household was found through a member. */
  matchedMember?: string
}

/** POST /api/villages/:vid/households/import: every row added. */
export interface ImportResult {
  created: number
}

/** One bad row of a refused import (422 INVALID_ROWS details). */
export interface RowError {
  line: number
  message: string
}

/** GET /api/villages/:vid/tags: households per category, and the party members (issue 18). */
export interface TagCounts {
  items: { tag: string; households: number }[]
  /** Households with at least one category. */
  tagged: number
  /** Members marked 党员 (living in the household: not removed). */
  partyMembers: number
}
