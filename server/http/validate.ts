import type { Context } from 'hono'
import type { z } from 'zod'
import { DomainError } from '../core/errors.js'
import { zodDetails } from './error-handler.js'

/** Reads the JSON body and validates it with a shared schema: INVALID_JSON or VALIDATION_FAILED. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown
  const text = await c.req.text()
  if (text.trim() === '') raw = {}
  else {
    try {
      raw = JSON.parse(text)
    } catch {
      throw new DomainError('INVALID_JSON', 'the body is not valid JSON')
    }
  }
  return parse(schema, raw)
}

export function query<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parse(schema, c.req.query())
}

export function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw)
  if (!result.success) throw new DomainError('VALIDATION_FAILED', 'invalid input', zodDetails(result.error))
  return result.data
}
