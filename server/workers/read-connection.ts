import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { DB } from '../../db/database.js'
import type { Database } from '../../db/schema.js'

/**
 * A worker thread's own connection: read-only on the same WAL file as the server's, so its reads never take
 * the write lock and see every committed transaction. It cannot write, by construction.
 */
export function openReadConnection(file: string): { db: DB; sqlite: SQLite.Database } {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true })
  sqlite.pragma('busy_timeout = 5000')
  return { sqlite, db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }) }
}
