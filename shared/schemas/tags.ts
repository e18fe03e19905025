import { z } from 'zod'

import { HOUSEHOLD_TAGS, type HouseholdTag } from '../tags.js'

export { HOUSEHOLD_TAGS, type HouseholdTag }

export const householdTag = z.enum(HOUSEHOLD_TAGS)
/** PATCH /households/:hid {tags}: the household's whole set of categories (replaces the earlier set). */
export const householdTags = z
  .array(householdTag)
  .max(HOUSEHOLD_TAGS.length)
  .transform((tags) => [...new Set(tags)])

/** PATCH /households/:hid/members/:mid: a member marked 党员 (or not). */
export const memberPatchInput = z.object({ partyMember: z.boolean() })
export type MemberPatchInput = z.infer<typeof memberPatchInput>
