import type { MiddlewareHandler } from 'hono'
import { DomainError } from '../core/errors.js'
import type { AppEnv } from './types.js'

export interface RateLimit {
  /** Requests a user may make at once. */
  burst: number
  /** Requests per second the allowance refills by. */
  perSecond: number
}

/**
 * Card scans at the counter: a cashier scans a card every few seconds at the busiest; a burst of 120 and two
 * a second sustained leave room for a camera that re-reads, while stopping a script that walks through codes.
 */
export const CARD_RESOLVE_LIMIT: RateLimit = { burst: 120, perSecond: 2 }

const MAX_TRACKED = 10_000

/**
 * A token bucket per logged-in user, kept in memory: one process serves the village, and a restart forgetting
 * the buckets costs nothing. Over the limit → 429 TOO_MANY_ATTEMPTS with Retry-After.
 */
export function rateLimitPerUser(limit: RateLimit, now: () => number = Date.now): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>()
  const refill = (b: { tokens: number; at: number }, t: number) => {
    b.tokens = Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.perSecond)
    b.at = t
  }
  return async (c, next) => {
    const t = now()
    const key = c.var.user?.id ?? 'anonymous'
    let bucket = buckets.get(key)
    if (!bucket) {
      if (buckets.size >= MAX_TRACKED) forgetFull(buckets, refill, t, limit.burst)
      bucket = { tokens: limit.burst, at: t }
      buckets.set(key, bucket)
    }
    refill(bucket, t)
    if (bucket.tokens < 1) {
      const wait = Math.ceil((1 - bucket.tokens) / limit.perSecond)
      c.header('retry-after', String(wait))
      throw new DomainError('TOO_MANY_ATTEMPTS', `too many requests: try again in ${wait} s`)
    }
    bucket.tokens -= 1
    await next()
  }
}

/** Users whose allowance has refilled completely are indistinguishable from new ones: drop them. */
function forgetFull(
  buckets: Map<string, { tokens: number; at: number }>,
  refill: (b: { tokens: number; at: number }, t: number) => void,
  t: number,
  burst: number,
) {
  for (const [key, b] of buckets) {
    refill(b, t)
    if (b.tokens >= burst) buckets.delete(key)
  }
}
