import { z } from 'zod'
import { id, isoDate, listQuery, month, optionalText, text } from './common.js'

/** A card's scan (the bare code or the /me link) and the household's PIN when it has one. */
export const villagerLoginInput = z.object({
  cardCode: z.string().min(1).max(600),
  pin: z.string().max(12).optional().nullable(),
})

/** A phone photo, base64 (a data: URL is accepted too); ≤ 5 MB once decoded, checked on the server. */
export const MAX_CLAIM_PHOTO_BASE64 = 7_000_000

/** 申报: a deed the household asks the committee to recognise. */
export const claimInput = z.object({
  description: text(1000),
  occurredOn: isoDate,
  ruleId: id.optional().nullable(),
  memberId: id.optional().nullable(),
  photo: z.string().max(MAX_CLAIM_PHOTO_BASE64).optional().nullable(),
})

export const CLAIM_STATUSES = ['submitted', 'accepted', 'declined'] as const
export type ClaimStatus = (typeof CLAIM_STATUSES)[number]

/** The committee's queue: a page, optionally of one status. */
export const claimListQuery = listQuery.extend({ status: z.enum(CLAIM_STATUSES).optional() })
export const acceptClaimInput = z.object({ ruleId: id, note: optionalText(500) })
export const declineClaimInput = z.object({ reply: text(1000) })

export type ClaimInput = z.infer<typeof claimInput>

/** GET /api/me/ledger: one month of the household's statement, or all of it. */
export const meLedgerQuery = z.object({ month: month.optional() })
