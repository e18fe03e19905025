import { ApiError } from '../api/client.js'
import { t } from '../i18n/index.js'

/*
 * A form's problems, whoever found them: the form's own check with the shared zod schema (form.ts), or the
 * server's 400 VALIDATION_FAILED details. Free of zod, and of zod's locales: ErrorMessage shows the server's
 * problems through here on every page, the kiosk's too.
 */

/** One problem of a field (dotted path, as the server names it: 'limit.count'), said in the current language when called. */
export interface Problem {
  field: string
  say: () => string
  /** The server's own words, when the server found it. */
  server?: string
}

/** Field → the message to show. */
export type FieldErrors = Record<string, string>

/** The server's field problems of a 400 VALIDATION_FAILED answer; none for any other error. */
export function problemsFromServer(e: unknown): Problem[] {
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION_FAILED' || !Array.isArray(e.details)) return []
  return (e.details as unknown[])
    .filter(
      (d): d is { field: string; message?: unknown } => !!d && typeof (d as { field?: unknown }).field === 'string',
    )
    .map((d) => {
      const server = String(d.message ?? '')
      return { field: d.field, server, say: () => t('form.server', { message: server }) }
    })
}

/** The first problem of each field, translated now (call it where it is shown, so a language switch redraws it). */
export function fieldErrors(problems: readonly Problem[]): FieldErrors {
  const out: FieldErrors = {}
  for (const p of problems) out[p.field] ??= p.say()
  return out
}
