import type { Context } from 'hono'
import { validator } from 'hono/validator'
import type { z } from 'zod'
import { DomainError } from '../core/errors.js'
import { zodDetails } from './error-handler.js'

/*
 * Route validation with the shared zod schemas, on Hono's validator, so that `c.req.valid('json')` and
 * `c.req.valid('query')` are typed by the schema:
 *
 *   .post('/villages/:vid/rules', allow('clerk'), scopeBy('villages', 'vid'), json(createRuleInput), async (c) => {
 *     const input = c.req.valid('json')
 *
 * A refusal is the API's: 400 INVALID_JSON for a body that is not JSON, 400 VALIDATION_FAILED with details
 * [{field, message}] for input that breaks the schema.
 */

/** Validates with a schema, or throws VALIDATION_FAILED naming every bad field. */
export function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw)
  if (!result.success) throw new DomainError('VALIDATION_FAILED', 'invalid input', zodDetails(result.error))
  return result.data
}

/** The body as JSON whatever its declared type; an empty body is `{}`. */
async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text()
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new DomainError('INVALID_JSON', 'the body is not valid JSON')
  }
}

/** The JSON body, validated: `c.req.valid('json')`. */
export function json<S extends z.ZodType>(schema: S) {
  const check = validator('json', async (_value, c) => parse(schema, await c.req.bodyCache.json))
  // Read the body first, our way (any content type, INVALID_JSON), and hand it to Hono's validator as parsed.
  const read: typeof check = async (c, next) => {
    c.req.bodyCache.json = Promise.resolve(await readJson(c))
    return check(c, next)
  }
  return read
}

/** The query string (one value per name), validated: `c.req.valid('query')`. */
export function query<S extends z.ZodType>(schema: S) {
  return validator('query', (_value, c) => parse(schema, c.req.query()))
}
