import type { Context, MiddlewareHandler } from 'hono'
import { type DB, dialectOf } from '../../db/database.js'
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
 * A token bucket per logged-in user. SQLite: kept in memory (one process serves the file, and a restart
 * forgetting the buckets costs nothing). PostgreSQL: a row of rate_buckets, shared by every server process
 * (GONGYI_WORKERS). Over the limit → 429 TOO_MANY_ATTEMPTS with Retry-After.
 */
export function rateLimitPerUser(limit: RateLimit, now: () => number = Date.now): MiddlewareHandler<AppEnv> {
  return rateLimitBy(limit, (c) => c.var.user?.id ?? 'anonymous', now)
}

/** The same bucket, keyed by what `keyOf` says (a client address for requests that have no login yet). */
export function rateLimitBy(
  limit: RateLimit,
  keyOf: (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => string,
  now: () => number = Date.now,
): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>()
  const refill = (b: { tokens: number; at: number }, t: number) => {
    b.tokens = Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.perSecond)
    b.at = t
  }
  return async (c, next) => {
    const t = now()
    const key = keyOf(c)
    const db = c.var.deps?.db
    if (db && dialectOf(db) === 'postgres') {
      // Several processes serve one PostgreSQL database: the bucket is a row, refilled and spent in one statement.
      const tokens = await takeSharedToken(db, `${limit.burst}/${limit.perSecond}:${key}`, limit, t)
      if (tokens < 1) refuse(c, tokens, limit)
      await next()
      return
    }
    let bucket = buckets.get(key)
    if (!bucket) {
      if (buckets.size >= MAX_TRACKED) forgetFull(buckets, refill, t, limit.burst)
      bucket = { tokens: limit.burst, at: t }
      buckets.set(key, bucket)
    }
    refill(bucket, t)
    if (bucket.tokens < 1) refuse(c, bucket.tokens, limit)
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

function refuse(c: Context<AppEnv>, tokens: number, limit: RateLimit): never {
  const wait = Math.ceil((1 - tokens) / limit.perSecond)
  c.header('retry-after', String(wait))
  throw new DomainError('TOO_MANY_ATTEMPTS', `too many requests: try again in ${wait} s`)
}

/**
 * The token bucket as a row of rate_buckets, read FOR UPDATE, refilled and spent in one short transaction, so
 * that every process sees one allowance per user. Returns the tokens after the refill, before spending.
 */
async function takeSharedToken(db: DB, key: string, limit: RateLimit, t: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('rate_buckets')
      .select(['tokens', 'at'])
      .where('key', '=', key)
      .forUpdate()
      .executeTakeFirst()
    const tokens = row
      ? Math.min(limit.burst, row.tokens + (Math.max(0, t - row.at) / 1000) * limit.perSecond)
      : limit.burst
    const left = tokens >= 1 ? tokens - 1 : tokens
    await trx
      .insertInto('rate_buckets')
      .values({ key, tokens: left, at: t })
      .onConflict((oc) => oc.column('key').doUpdateSet({ tokens: left, at: t }))
      .execute()
    return tokens
  })
}
