import { z } from 'zod'
import { id, isoDate, listQuery, month, noHiddenCharacters, optionalText, quantity, text } from './common.js'
import { pin } from './households.js'

/** A points price: a whole number of points, at least 1 (a free item would be a redemption of nothing). */
export const pointsPrice = z.number().int().min(1).max(1_000_000)
/** A barcode as a USB scanner types it: digits and letters, no spaces. */
export const barcode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Za-z\-.]+$/, 'digits and letters only')

export const createProductInput = z.object({
  sku: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .refine(noHiddenCharacters, 'control or bidirectional-override characters are not allowed'),
  name: text(64),
  pointsPrice,
  unit: optionalText(16),
  category: optionalText(32),
  barcode: barcode.optional().nullable(),
  /** Alert when the stock is at or below this number; 0 turns the alert off. */
  lowStockThreshold: z.number().int().min(0).max(100_000).optional(),
  active: z.boolean().optional(),
})

export const updateProductInput = createProductInput.omit({ sku: true }).partial()

export const productQuery = z.object({
  q: z.string().trim().max(64).optional(),
  barcode: z.string().trim().max(64).optional(),
  active: z.enum(['true', 'false']).optional(),
})

export const receiptLine = z.object({ productId: id, quantity, bestBefore: isoDate.optional().nullable() })

export const stockReceiptInput = z.object({
  donor: optionalText(64),
  donorOrg: optionalText(128),
  note: optionalText(500),
  items: z.array(receiptLine).min(1).max(500),
})

export const stockAdjustmentInput = z.object({
  productId: id,
  delta: z
    .number()
    .int()
    .min(-100_000)
    .max(100_000)
    .refine((n) => n !== 0, 'must not be 0'),
  reason: text(200),
})

export const stocktakeInput = z.object({
  note: optionalText(200),
  counts: z
    .array(z.object({ productId: id, counted: z.number().int().min(0).max(10_000_000) }))
    .min(1)
    .max(2000)
    .refine((cs) => new Set(cs.map((c) => c.productId)).size === cs.length, 'each product once'),
})

export const redemptionLine = z.object({ productId: id, quantity })

export const redemptionInput = z
  .object({
    cardCode: z.string().trim().min(1).max(512).optional(),
    householdId: id.optional(),
    items: z.array(redemptionLine).min(1).max(100),
    pin: pin.optional(),
  })
  .refine((r) => (r.cardCode === undefined) !== (r.householdId === undefined), {
    message: 'give exactly one of cardCode and householdId',
    path: ['cardCode'],
  })

/** The client's retry token: any printable ASCII text, e.g. a UUID the kiosk made when the cart opened. */
export const idempotencyKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII, no spaces')

export const voidInput = z.object({ reason: text(200) })

export const monthQuery = z.object({ month: month.optional() })

export const movementsQuery = z.object({
  month: month.optional(),
  productId: id.optional(),
  kind: z.enum(['receipt', 'redemption', 'void', 'adjustment', 'stocktake', 'relief']).optional(),
})

export const redemptionsQuery = z.object({ month: month.optional(), householdId: id.optional() })

/** The list endpoints' queries: a page (limit, cursor) and their filters. */
export const productListQuery = listQuery.extend(productQuery.shape)
export const receiptListQuery = listQuery.extend(monthQuery.shape)
export const movementListQuery = listQuery.extend(movementsQuery.shape)
export const redemptionListQuery = listQuery.extend(redemptionsQuery.shape)

export type CreateProductInput = z.infer<typeof createProductInput>
export type UpdateProductInput = z.infer<typeof updateProductInput>
export type StockReceiptInput = z.infer<typeof stockReceiptInput>
export type StockAdjustmentInput = z.infer<typeof stockAdjustmentInput>
export type StocktakeInput = z.infer<typeof stocktakeInput>
export type RedemptionInput = z.infer<typeof redemptionInput>
export type RedemptionLineInput = z.infer<typeof redemptionLine>
