import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ZodError } from 'zod'
import type { ErrorBody, ErrorCode } from '../../shared/errors.js'
import { isConnectionError, isRetryableTransactionError, isUnstorableText } from '../../db/errors.js'
import { DomainError } from '../core/errors.js'
import type { AppEnv } from './types.js'

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } }
}

export function zodDetails(err: ZodError) {
  return err.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }))
}

/** The one place that decides an error's HTTP status and body. Never leaks a stack trace. */
export function handleError(err: Error, c: Context<AppEnv>) {
  let status: ContentfulStatusCode
  let body: ErrorBody
  if (err instanceof DomainError) {
    status = err.status as ContentfulStatusCode
    body = errorBody(err.code, err.message, err.details)
  } else if (err instanceof ZodError) {
    status = 400
    body = errorBody('VALIDATION_FAILED', 'invalid input', zodDetails(err))
  } else if (err instanceof HTTPException && err.status < 500) {
    status = err.status as ContentfulStatusCode
    const code: ErrorCode =
      err.status === 413 ? 'PAYLOAD_TOO_LARGE' : err.status === 401 ? 'UNAUTHENTICATED' : 'VALIDATION_FAILED'
    body = errorBody(code, err.message || code)
  } else if (isUnstorableText(err)) {
    // PostgreSQL text cannot hold NUL (22021) and refuses the statement; nothing was written.
    status = 400
    body = errorBody('VALIDATION_FAILED', 'text must not contain NUL characters')
  } else if (isConnectionError(err) || isRetryableTransactionError(err)) {
    // PostgreSQL unreachable or restarting, or a transaction it aborted: the transaction did not commit, so
    // nothing changed; the client may send the same request (with the same Idempotency-Key) again.
    status = 503
    body = errorBody('SERVICE_UNAVAILABLE', 'the database is unavailable; nothing was changed, please try again')
    c.header('Retry-After', '2')
    console.error(
      JSON.stringify({
        level: 'warn',
        path: c.req.path,
        method: c.req.method,
        msg: 'database unavailable',
        error: String((err as { code?: string })?.code ?? err?.message),
      }),
    )
  } else {
    status = 500
    body = errorBody('INTERNAL', 'internal error')
    console.error(
      JSON.stringify({ level: 'error', path: c.req.path, method: c.req.method, error: String(err?.stack ?? err) }),
    )
  }
  c.set('errorCode', body.error.code)
  return c.json(body, status)
}
