/*
 * What a database error means, read from the driver's error code. Each engine's codes sit side by side here,
 * so the services never look at a driver's error themselves.
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
