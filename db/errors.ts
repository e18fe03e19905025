/*
 * What a database error means, read from the driver's error code. Each engine's codes sit side by side here,
 * so the services never look at a driver's error themselves. Besides the unique violations: database errors
 * that are not the request's fault, which the server maps to 503 SERVICE_UNAVAILABLE (nothing was changed: the
 * transaction did not commit) and the CLIs print plainly.
 */

/** SQLite (better-sqlite3): a UNIQUE or PRIMARY KEY constraint refused the row. */
const SQLITE_UNIQUE = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'])
/** PostgreSQL (pg): unique_violation. */
const POSTGRES_UNIQUE = new Set(['23505'])

/** Whether the error is a unique-constraint failure, on SQLite or PostgreSQL. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && (SQLITE_UNIQUE.has(code) || POSTGRES_UNIQUE.has(code))
}

/**
 * Turns a unique-constraint failure into the caller's own error (a DUPLICATE refusal); rethrows anything else.
 * `catch (err) { rethrowUnique(err, () => duplicate('username is taken')) }`
 */
export function rethrowUnique(err: unknown, refusal: () => Error): never {
  if (isUniqueViolation(err)) throw refusal()
  throw err
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
])

/** PostgreSQL server unreachable, restarting or shutting down, or the connection dropped mid-request. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null
  const code = typeof e?.code === 'string' ? e.code : ''
  if (CONNECTION_CODES.has(code)) return true
  // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now; class 08: connection exceptions.
  if (code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('08')) return true
  const message = typeof e?.message === 'string' ? e.message : ''
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed/i.test(
    message,
  )
}

/** PostgreSQL could not serialise the transaction (40001) or broke a deadlock (40P01): safe to retry. */
export function isRetryableTransactionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === '40001' || code === '40P01'
}

/** A database URL without its password, for logs and messages. */
export function redactUrl(target: string): string {
  return target.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/i, '$1:***@')
}

export function describeDbError(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] } | null
  // ECONNREFUSED from node-postgres is an AggregateError (IPv4 and IPv6) whose own message is empty.
  const message = e?.message || e?.errors?.map((x) => x.message).join('; ') || String(err)
  if (isConnectionError(err))
    return `PostgreSQL is not reachable (${e?.code ?? 'connection error'}: ${message}). Is it running, and is GONGYI_DB right?`
  return e?.code ? `${e.code}: ${message}` : message
}

/** PostgreSQL refused text it cannot store: a NUL character (22021) or one the encoding lacks (22P05). */
export function isUnstorableText(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === '22021' || code === '22P05'
}
