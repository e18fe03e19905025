import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import {
  CompiledQuery, type DatabaseConnection, type Driver, Kysely, type Migration, Migrator, SqliteDialect, SqliteDriver,
} from 'kysely'
import { migrations } from './migrations/index.js'
import type { Database } from './schema.js'

export type DB = Kysely<Database>

/*
 * Kysely opens SQLite transactions with a plain (deferred) BEGIN. In WAL mode a transaction that reads a
 * balance and then writes fails with SQLITE_BUSY if another process wrote in between, whatever the timeout.
 * BEGIN IMMEDIATE takes the write lock up front, so busy_timeout applies and the read-then-write is safe.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: sqlite })
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: withStatementCache(this.sqlite) })
  }
}

const STATEMENT_CACHE_SIZE = 500

/*
 * Kysely's SQLite driver prepares every query afresh; preparing costs more than running most of ours. Keep
 * the most recently used statements (least recently used ones are dropped). Safe because the driver runs
 * one query at a time on the one connection, so a cached statement is never in use twice at once.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql)
      if (stmt) cache.delete(sql)
      else {
        stmt = sqlite.prepare(sql)
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
      }
      cache.set(sql, stmt)
      return stmt
    },
  }
}

export interface OpenedDatabase {
  db: DB
  sqlite: SQLite.Database
  close: () => Promise<void>
}

/** Opens (creating if needed) the SQLite file with the pragmas Gongyi relies on. ':memory:' for tests. */
export function openDatabase(file: string): OpenedDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  // Village PCs lose power: a redemption the counter confirmed must survive it.
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(sqlite) })
  return { db, sqlite, close: () => db.destroy() }
}

/** SQLite does not run migrations in a transaction; wrap each one so a failure leaves the schema as it was. */
function transactional(m: Migration): Migration {
  return {
    up: (db) => db.transaction().execute((trx) => m.up(trx)),
    down: m.down && ((db) => db.transaction().execute((trx) => m.down!(trx))),
  }
}

export async function migrateToLatest(db: DB): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(Object.entries(migrations).map(([name, m]) => [name, transactional(m)])),
    },
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** Runs fn in a transaction, or directly when db already is one, so services can call each other. */
export function withTransaction<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db)
  return db.transaction().execute(fn)
}

