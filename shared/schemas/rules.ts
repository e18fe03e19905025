import { z } from 'zod'
import { noHiddenCharacters, optionalText, text } from './common.js'

export const PERIODS = ['day', 'week', 'month', 'year'] as const
export type Period = (typeof PERIODS)[number]

export const ruleLimit = z.object({ count: z.number().int().min(1).max(1000), period: z.enum(PERIODS) })

export const createRuleInput = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .refine(noHiddenCharacters, 'control or bidirectional-override characters are not allowed'),
  name: text(64),
  category: text(32),
  points: z
    .number()
    .int()
    .min(-100_000)
    .max(100_000)
    .refine((n) => n !== 0, 'points must not be zero'),
  limit: ruleLimit.optional().nullable(),
  evidence: optionalText(200),
})

/** Points and limits never change in place: a rule is versioned by deactivating it and adding a new one. */
export const updateRuleInput = z
  .object({ active: z.boolean(), name: text(64), category: text(32), evidence: optionalText(200) })
  .partial()
  .strict()

/** GET /villages/:vid/rules?active=true|false */
export const ruleListQuery = z.object({ active: z.enum(['true', 'false']).optional() })

export type CreateRuleInput = z.infer<typeof createRuleInput>
export type UpdateRuleInput = z.infer<typeof updateRuleInput>
