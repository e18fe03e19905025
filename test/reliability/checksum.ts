import { createHash } from 'node:crypto'
import type SQLite from 'better-sqlite3'

/**
 * Tables that a refused request may legitimately write: the audit log records refusals, and failed logins
 * are counted for the rate limit. Everything else must be byte-for-byte the same after a 4xx.
 */
const MAY_CHANGE_ON_REFUSAL = new Set(['audit_log', 'login_failures'])

/** A hash of every row of every table (but the two above), in a fixed order. */
export function databaseChecksum(sqlite: SQLite.Database): string {
  const tables = sqlite
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
    .pluck()
    .all() as string[]
  const hash = createHash('sha256')
  for (const table of tables) {
    if (MAY_CHANGE_ON_REFUSAL.has(table)) continue
    hash.update(`\0${table}\0`)
    // rowid order is insertion order here; every table of the schema is a rowid table.
    for (const row of sqlite.prepare(`select * from "${table}" order by rowid`).raw().iterate()) {
      hash.update(JSON.stringify(row)) // a Buffer (evidence photo) serialises as its bytes
    }
  }
  return hash.digest('hex')
}
