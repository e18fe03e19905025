import { z } from 'zod'
import { monthDay, text, timezone } from './common.js'

export const createVillageInput = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  name: text(64),
  timezone: timezone.optional(),
  noticeDays: z.number().int().min(0).max(30).optional(),
  requiredApprovals: z.number().int().min(1).max(3).optional(),
  annualReset: monthDay.optional().nullable(),
  maskNames: z.boolean().optional(),
  /** Points a household may spend a day at a counter that lost the network (default 50; 0: no offline sales). */
  offlineAllowance: z.number().int().min(0).max(100_000).optional(),
})

export const updateVillageInput = createVillageInput.omit({ code: true }).partial()

export type CreateVillageInput = z.infer<typeof createVillageInput>
