import { z } from 'zod'
import { month } from './common.js'

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export const monthlyExportQuery = z.object({ month, format: z.enum(EXPORT_FORMATS).default('json') })
export const boardQuery = z.object({ month })
export const rollupQuery = z.object({ month })

/** A passbook covers one month or one whole year: exactly one of the two. */
export const passbookQuery = z
  .object({
    month: month.optional(),
    year: z
      .string()
      .regex(/^\d{4}$/, 'expected YYYY')
      .optional(),
  })
  .refine((q) => (q.month === undefined) !== (q.year === undefined), {
    message: 'give either month or year',
    path: ['month'],
  })

// The answers' shapes live in shared/types/exports.ts; re-exported for the code that imports them from here.
export type { ExportEntry, ExportStockMove, RollupVillage, StatementRow, StatementTotals } from '../types/exports.js'
