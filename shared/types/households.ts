/** A household as the API answers it (server/households, read by the web app): one definition for both. */

export interface Member {
  id: string
  name: string
  relation: string | null
  addedAt: string
  removedAt: string | null
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
