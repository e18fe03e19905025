import { z } from 'zod'
import { id, text } from './common.js'
import { idempotencyKey, redemptionInput } from './supermarket.js'

/** A counter tablet's own id (made once on the tablet, kept in its IndexedDB). */
export const counterId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII, no spaces')

/** What the tablet reports of its queue of unsynced sales, on every snapshot fetch and sync. */
export const counterReport = z.object({
  counterId: counterId.optional(),
  pending: z.coerce.number().int().min(0).max(1_000_000).optional(),
  oldestPendingAt: z.iso.datetime().optional(),
})

/** One sale made offline, as the tablet kept it: the same body as a redemption, with its key and time. */
export const offlineSale = redemptionInput.and(
  z.object({
    idempotencyKey,
    soldAt: z.iso.datetime(),
    /** The receipt number the tablet printed (离线-…), for the approver to match the paper. */
    localNo: z.string().max(64).optional(),
    /** Points the tablet charged, as it computed them from its snapshot. */
    points: z.number().int().min(0).max(10_000_000).optional(),
  }),
)

export const syncInput = z.object({
  counterId: counterId.optional(),
  /** Sales still waiting on the tablet after these (for the committee's view). */
  pending: z.number().int().min(0).max(1_000_000).optional(),
  sales: z.array(offlineSale).min(1).max(500),
})

export const settleConflictInput = z.object({
  action: z.enum(['charge-available', 'returned']),
  reason: text(200),
})

export const conflictsQuery = z.object({
  status: z.enum(['open', 'settled', 'all']).optional(),
  householdId: id.optional(),
})

export type OfflineSale = z.infer<typeof offlineSale>
export type SyncInput = z.infer<typeof syncInput>
export type SettleConflictInput = z.infer<typeof settleConflictInput>
