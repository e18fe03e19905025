import { createHash } from 'node:crypto'
import type SQLite from 'better-sqlite3'

/*
 * What a refused request may legitimately write: the audit log records refusals, failed logins are counted
 * for the login lockout, and a wrong PIN at the counter is counted on the household for the PIN lockout.
 * Everything else must be byte-for-byte the same after a 4xx.
 */
const MAY_CHANGE_ON_REFUSAL = new Set(['audit_log', 'login_failures'])
const COUNTERS_ON_REFUSAL: Record<string, string[]> = { households: ['pin_failures', 'pin_locked_until'] }

/** A hash of every row of every table (but the counters above), in a fixed order. */
export function databaseChecksum(sqlite: SQLite.Database): string {
  const tables = sqlite
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
    .pluck()
    .all() as string[]
  const hash = createHash('sha256')
  for (const table of tables) {
    if (MAY_CHANGE_ON_REFUSAL.has(table)) continue
    const skip = COUNTERS_ON_REFUSAL[table] ?? []
    const columns = (sqlite.prepare(`select name from pragma_table_info(?)`).pluck().all(table) as string[])
      .filter((c) => !skip.includes(c)).map((c) => `"${c}"`).join(', ')
    hash.update(`\0${table}\0`)
    // rowid order is insertion order here; every table of the schema is a rowid table.
    for (const row of sqlite.prepare(`select ${columns} from "${table}" order by rowid`).raw().iterate()) {
      hash.update(JSON.stringify(row)) // a Buffer (evidence photo) serialises as its bytes
    }
  }
  return hash.digest('hex')
}
