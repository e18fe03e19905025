import { z } from 'zod'
import { id, listQuery, month, quantity, text } from './common.js'
import { householdTag } from './tags.js'

/*
 * The relief shelf (阳光超市, issue 18; API.md "Households: categories and relief"):
 * POST /villages/:vid/relief {items: [{productId, quantity}], householdIds | tag, note}. `quantity` is what each
 * household receives; the households are listed, or all of a category.
 */
export const reliefInput = z
  .object({
    items: z
      .array(z.object({ productId: id, quantity }))
      .min(1)
      .max(50)
      .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, 'each product once'),
    householdIds: z.array(id).min(1).max(10_000).optional(),
    tag: householdTag.optional(),
    note: text(200),
  })
  .refine((r) => (r.householdIds === undefined) !== (r.tag === undefined), {
    message: 'give exactly one of householdIds and tag',
    path: ['householdIds'],
  })

export const reliefListQuery = listQuery.extend({ month: month.optional() })
export const reliefReportQuery = z.object({ month, format: z.enum(['json', 'csv', 'html']).default('json') })

export type ReliefInput = z.infer<typeof reliefInput>
