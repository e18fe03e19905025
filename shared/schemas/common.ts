import { z } from 'zod'

/** Trimmed, non-empty, bounded text: what a clerk types into a form. */
export const text = (max: number) => z.string().trim().min(1).max(max)
export const optionalText = (max: number) => z.string().trim().max(max).optional().nullable()

export const id = z.string().min(1).max(64)
export const points = z.number().int().min(-1_000_000).max(1_000_000)
export const quantity = z.number().int().min(1).max(100_000)

/** 'YYYY-MM-DD' that is a real calendar date. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
  }, 'not a calendar date')

/** 'YYYY-MM' with a real month. */
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')

export const listQuery = z.object({
  limit: z.coerce.number().int().catch(50).transform((n) => Math.min(500, Math.max(1, n))).default(50),
  cursor: z.string().max(200).optional(),
})

export const timezone = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}, 'unknown time zone')

export const ROLES = ['admin', 'clerk', 'approver', 'cashier', 'auditor'] as const
export type Role = (typeof ROLES)[number]

/** Defined once in shared/types/page.ts; re-exported for the code that imports it from here. */
export type { Page } from '../types/page.js'
