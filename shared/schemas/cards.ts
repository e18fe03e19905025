import { z } from 'zod'
import { id } from './common.js'

/** A scanned card code. Its form is checked by the server (CARD_INVALID); here only a sane size. */
/** The scanned text: the bare code, or the /me link that carries it (shared/card-link.ts). */
export const resolveCardInput = z.object({ code: z.string().max(512) })

/** Households to print cards for: `?householdIds=a,b,c`, up to 50 pages at once (the ids must fit in a URL: Node refuses request lines over 16 KB). */
export const MAX_CARDS_PER_PRINT = 500
/**
 * Or, instead of ids (issue 17: a clerk ticked 240 boxes across pages of 100): `?scope=all` every household of the
 * village, `?scope=withoutCard` every household that has no active card yet, by household number.
 */
export const MAX_CARDS_PER_SCOPE = 2000
export const printCardsQuery = z
  .object({
    householdIds: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(id).min(1, 'name at least one household').max(MAX_CARDS_PER_PRINT))
      .optional(),
    scope: z.enum(['all', 'withoutCard']).optional(),
  })
  .refine((q) => (q.householdIds === undefined) !== (q.scope === undefined), {
    message: 'name householdIds or a scope, not both',
    path: ['householdIds'],
  })

export type ResolveCardInput = z.infer<typeof resolveCardInput>
