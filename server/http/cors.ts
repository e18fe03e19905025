import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'

/**
 * Closed by default: without GONGYI_CORS_ORIGIN no response carries Access-Control-Allow-Origin, so a page
 * on another site cannot read the API with a clerk's token. Set it (comma-separated origins) only when the
 * web app is served from another origin than the API.
 */
export function corsPolicy(allowed: string | undefined): MiddlewareHandler | null {
  const origins = (allowed ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '' && o !== '*')
  // Nothing to add to any response: no middleware at all (one fewer step on every request).
  if (origins.length === 0) return null
  return cors({
    origin: origins,
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
    maxAge: 600,
  })
}
