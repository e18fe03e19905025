import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { AppEnv } from './types.js'

/** Where request log lines go: stdout in production (server/main.ts), nowhere or an array in tests. */
export type LogSink = (line: string) => void

/**
 * One JSON line per request: method, route pattern, status, milliseconds, user id, error code. Deliberately
 * not the path or query (a search can hold a villager's name), headers (the bearer token) or the body
 * (passwords, PINs, card codes): what is logged is chosen field by field, never copied from the request.
 */
export function requestLog(sink: LogSink): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now()
    try {
      await next()
    } finally {
      const status = c.res.status
      sink(
        JSON.stringify({
          level: status >= 500 ? 'error' : 'info',
          msg: 'request',
          at: new Date().toISOString(),
          method: c.req.method,
          // The handler that answered (its route pattern, with :params), not the request's own path.
          route: routePath(c) || null,
          status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          user: c.get('user')?.id ?? null,
          error: c.get('errorCode') ?? undefined,
        }),
      )
    }
  }
}

/**
 * A sink that gathers the lines of one turn of the event loop into a single write: a write per request was a
 * tenth of a card resolve's time. Lines reach the stream in order, a few microseconds late at most.
 */
export function batchedSink(write: (chunk: string) => void): LogSink & { flush: () => void } {
  let pending: string[] = []
  const flush = () => {
    if (pending.length === 0) return
    const chunk = pending.join('\n') + '\n'
    pending = []
    write(chunk)
  }
  const sink = (line: string) => {
    if (pending.length === 0) setImmediate(flush)
    pending.push(line)
  }
  return Object.assign(sink, { flush })
}
