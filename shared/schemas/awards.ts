import { z } from 'zod'
import { id, isoDate, listQuery, month, optionalText, text } from './common.js'

export const MAX_AWARD_HOUSEHOLDS = 10_000

export const proposeAwardInput = z.object({
  ruleId: id,
  householdIds: z.array(id).min(1).max(MAX_AWARD_HOUSEHOLDS),
  occurredOn: isoDate,
  note: optionalText(500),
  /** The member who did the deed, for a one-household award. */
  memberId: id.optional().nullable(),
})

/** POST /awards/:id/approve: optionally, the households to leave out because a rule limit would be exceeded. */
export const approveAwardInput = z.object({ excludeHouseholdIds: z.array(id).max(MAX_AWARD_HOUSEHOLDS).optional() })

export const reasonInput = z.object({ reason: text(500) })
export const objectionInput = z.object({ text: text(1000) })
export const awardListQuery = z.object({
  status: z.enum(['pending', 'publicized', 'posted', 'rejected', 'withdrawn']).optional(),
})
/** GET /villages/:vid/awards: a page, optionally of one status. */
export const awardPageQuery = listQuery.extend(awardListQuery.shape)

/** GET /villages/:vid/adjustments?status= (the approval queue) */
export const adjustmentListQuery = z.object({ status: z.enum(['pending', 'posted', 'rejected']).optional() })

export const adjustmentInput = z.object({
  amount: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .refine((n) => n !== 0, 'amount must not be zero'),
  reason: text(500),
})

/** GET /households/:hid/ledger?month= */
export const ledgerQuery = z.object({ month: month.optional() })

export type ProposeAwardInput = z.infer<typeof proposeAwardInput>
export type ApproveAwardInput = z.infer<typeof approveAwardInput>
