import { z } from 'zod'

/**
 * Characters no name or note may hold (API.md; issue 13): control characters (NUL …; tab and line breaks are
 * allowed) and the bidirectional overrides, isolates and marks that make a printed name read otherwise than it
 * is stored (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C).
 */
const HIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/
export const noHiddenCharacters = (s: string) => !HIDDEN.test(s)
const HIDDEN_MESSAGE = 'control or bidirectional-override characters are not allowed'

/** Trimmed, non-empty, bounded text: what a clerk types into a form. */
export const text = (max: number) => z.string().trim().min(1).max(max).refine(noHiddenCharacters, HIDDEN_MESSAGE)
export const optionalText = (max: number) =>
  z.string().trim().max(max).refine(noHiddenCharacters, HIDDEN_MESSAGE).optional().nullable()

export const id = z.string().min(1).max(64)
export const points = z.number().int().min(-1_000_000).max(1_000_000)
export const quantity = z.number().int().min(1).max(100_000)

/** 'YYYY-MM-DD' that is a real calendar date, not before 1900 (API.md: 0000-01-01 is no one's deed day). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= '1900-01-01'
  }, 'not a calendar date')

/** 'MM-DD' that is a day of every year (02-29 is not: a yearly reset must happen every year). */
export const monthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected MM-DD')
  .refine((s) => {
    const [m, d] = s.split('-').map(Number) as [number, number]
    return d <= [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!
  }, 'not a day of every year')

/** 'YYYY-MM' with a real month. */
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')

export const listQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .catch(50)
    .transform((n) => Math.min(500, Math.max(1, n)))
    .default(50),
  cursor: z.string().max(200).optional(),
})

export const timezone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
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
