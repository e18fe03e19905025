import { z } from 'zod'
import { PIN_PATTERN } from '../patterns.js'
import { isoDate, listQuery, noHiddenCharacters, optionalText, text } from './common.js'
import { householdTag, householdTags } from './tags.js'

export const householdNo = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .refine(noHiddenCharacters, 'control or bidirectional-override characters are not allowed')
export const headName = text(32)
export const phone = z
  .string()
  .trim()
  .max(20)
  .regex(/^[0-9+\- ]*$/, 'digits only')
  .optional()
  .nullable()
export const pin = z.string().regex(PIN_PATTERN, '4 to 6 digits')

export const memberInput = z.object({ name: text(32), relation: optionalText(16), partyMember: z.boolean().optional() })

export const createHouseholdInput = z.object({
  householdNo,
  headName,
  phone,
  address: optionalText(128),
  members: z.array(memberInput).max(30).optional(),
  pin: pin.optional(),
  tags: householdTags.optional(),
})

export const updateHouseholdInput = z.object({
  householdNo: householdNo.optional(),
  headName: headName.optional(),
  phone,
  address: optionalText(128),
  pin: pin.nullable().optional(), // null removes the PIN
  tags: householdTags.optional(), // the whole set of categories (issue 18)
})

export const householdQuery = z.object({ q: z.string().trim().max(64).optional(), tag: householdTag.optional() })
/** GET /villages/:vid/households: a page, optionally of the households matching `q`. */
export const householdListQuery = listQuery.extend(householdQuery.shape)

/** Suspends redemptions until a date (inclusive), or lifts the suspension (null). */
export const suspensionInput = z.object({ until: isoDate.nullable(), reason: optionalText(200) })

/** One roster line as the import reads it; the same rules as a form. */
export const rosterRow = z.object({ householdNo, headName, phone, address: optionalText(128) })

export type CreateHouseholdInput = z.infer<typeof createHouseholdInput>
export type UpdateHouseholdInput = z.infer<typeof updateHouseholdInput>
export type MemberInput = z.infer<typeof memberInput>
export type SuspensionInput = z.infer<typeof suspensionInput>
