import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { DB } from '../../db/database.js'

/*
 * What a refused request may legitimately write: the audit log records refusals, failed logins are counted
 * for the login lockout, and a wrong PIN at the counter is counted on the household for the PIN lockout.
 * Everything else must be byte-for-byte the same after a 4xx.
 */
const MAY_CHANGE_ON_REFUSAL = new Set(['audit_log', 'login_failures'])
const COUNTERS_ON_REFUSAL: Record<string, string[]> = { households: ['pin_failures', 'pin_locked_until'] }

/** A hash of every row of every table (but the counters above), in a fixed order; SQLite or PostgreSQL. */
export async function databaseChecksum(db: DB): Promise<string> {
  const tables = (await db.introspection.getTables()).sort((a, b) => (a.name < b.name ? -1 : 1))
  const hash = createHash('sha256')
  for (const table of tables) {
    if (MAY_CHANGE_ON_REFUSAL.has(table.name)) continue
    const skip = COUNTERS_ON_REFUSAL[table.name] ?? []
    const columns = table.columns.map((c) => c.name).filter((c) => !skip.includes(c))
    hash.update(`\0${table.name}\0`)
    // Ordered by every column: the same rows hash alike whatever order they were written or stored in.
    const order = sql.join(columns.map((_, i) => sql.raw(String(i + 1))))
    const { rows } = await sql<Record<string, unknown>>`select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table.name)} order by ${order}`.execute(db)
    for (const row of rows) hash.update(JSON.stringify(Object.values(row))) // a Buffer (evidence photo) serialises as its bytes
  }
  return hash.digest('hex')
}
