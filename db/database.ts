import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type Migration,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
} from 'kysely'
import pg from 'pg'
import { type Dialect, dialectOf, isPostgresUrl } from './dialect.js'
import { isRetryableTransactionError } from './errors.js'
import { FailoverPool, splitHosts } from './failover.js'
import { guardConnectionErrors } from './pg-pool.js'
import { migrations } from './migrations/index.js'
import type { Database } from './schema.js'

export { type Dialect, dialectOf, isPostgresUrl, lockVillage, lockVillageOf } from './dialect.js'

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
  dialect: Dialect
  /** The better-sqlite3 handle (backups, pragmas); only on SQLite. */
  sqlite?: SQLite.Database
  /** The node-postgres pool (a FailoverPool when the URL names a primary and its standby); only on PostgreSQL. */
  pool?: pg.Pool | FailoverPool
  close: () => Promise<void>
}

export interface OpenedSqlite extends OpenedDatabase {
  dialect: 'sqlite'
  sqlite: SQLite.Database
}

export interface OpenOptions {
  /** PostgreSQL: connections in the pool (default 10). */
  poolSize?: number
}

/**
 * Opens Gongyi's database: a `postgres://…` URL (the database must exist; migrateToLatest creates the tables),
 * or a SQLite file (created if needed; ':memory:' for tests).
 */
export function openDatabase(target: string, opts: OpenOptions = {}): OpenedDatabase {
  return isPostgresUrl(target) ? openPostgres(target, opts) : openSqlite(target)
}

/** Opens (creating if needed) the SQLite file with the pragmas Gongyi relies on. ':memory:' for tests. */
export function openSqlite(file: string): OpenedSqlite {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  // Village PCs lose power: a redemption the counter confirmed must survive it.
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(sqlite) })
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() }
}

/*
 * node-postgres answers int8 (count(*), sum(integer), bigint ids) and numeric as strings, so that no digit is
 * lost. Gongyi's points, quantities and counts are integers far below 2^53: read them as numbers, and refuse
 * (rather than round) one that is not a safe integer.
 */
const INT8_OID = 20
const NUMERIC_OID = 1700
function toSafeNumber(text: string): number {
  const n = Number(text)
  if (!Number.isSafeInteger(n)) throw new RangeError(`number out of the safe integer range: ${text}`)
  return n
}
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if ((oid === INT8_OID || oid === NUMERIC_OID) && format !== 'binary') return toSafeNumber
    return pg.types.getTypeParser(oid, format as 'text')
  },
} as pg.CustomTypesConfig

function openPostgres(url: string, opts: OpenOptions): OpenedDatabase {
  const options = {
    max: opts.poolSize ?? 10,
    types: pgTypes,
    // Also how long a request waits for a free connection: a busy village's sales queue on its lock holding one.
    connectionTimeoutMillis: 30_000,
    application_name: 'gongyi',
  }
  const hosts = splitHosts(url)
  if (hosts.length > 1) {
    // A primary and its standby: write to whichever accepts writes now (db/failover.ts).
    const pool = new FailoverPool(hosts, options, {
      onPrimary: (host, previous) =>
        console.log(
          JSON.stringify({
            level: previous ? 'warn' : 'info',
            msg: 'postgresql primary',
            host: `${host.host}:${host.port}`,
            previous: previous && `${previous.host}:${previous.port}`,
          }),
        ),
    })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, dialect: 'postgres', pool, close: () => db.destroy() }
  }
  const pool = guardConnectionErrors(new pg.Pool({ connectionString: url, ...options }))
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: 'postgres', pool, close: () => db.destroy() }
}

/**
 * SQLite does not run migrations in a transaction; wrap each one so a failure leaves the schema as it was.
 * (On PostgreSQL Kysely's Migrator already runs them in one transaction: DDL is transactional there.)
 */
function transactional(m: Migration): Migration {
  return {
    up: (db) => db.transaction().execute((trx) => m.up(trx)),
    down: m.down && ((db) => db.transaction().execute((trx) => m.down!(trx))),
  }
}

export async function migrateToLatest(db: DB): Promise<string[]> {
  const migrator = new Migrator({
    db,
    // Features land from parallel branches with numbers reserved per branch (0040, 0060, 0080 …), so a database
    // that already ran a later number may meet an earlier one: each migration stands alone (its own tables and
    // columns), so it runs when it arrives instead of refusing the database.
    allowUnorderedMigrations: true,
    provider: {
      getMigrations: async () =>
        dialectOf(db) === 'postgres'
          ? migrations
          : Object.fromEntries(Object.entries(migrations).map(([name, m]) => [name, transactional(m)])),
    },
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

const TRANSACTION_ATTEMPTS = 3

/**
 * What every withTransaction does around its work, set once by the server (server/core/audit-context.ts: the
 * audit row of the request is written inside the change's own transaction, so what commits is audited and what
 * rolls back leaves no row). Tests that open a database without a server run without it.
 */
export interface TransactionHooks {
  /** Last thing inside the transaction, after the work succeeded. */
  beforeCommit(trx: DB): Promise<void>
  /** The transaction committed / rolled back. */
  committed(): void
  rolledBack(): void
}
let hooks: TransactionHooks | null = null
export function setTransactionHooks(h: TransactionHooks | null) {
  hooks = h
}

/**
 * Runs fn in a transaction, or directly when db already is one, so services can call each other. On
 * PostgreSQL a transaction the server aborted as a deadlock or serialisation failure (40P01, 40001) changed
 * nothing and runs again, up to three times; then the error goes up (the server answers 503).
 */
export async function withTransaction<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db)
  for (let attempt = 1; ; attempt++) {
    try {
      const h = hooks
      const result = await db.transaction().execute(async (trx) => {
        const r = await fn(trx)
        await h?.beforeCommit(trx)
        return r
      })
      h?.committed()
      return result
    } catch (err) {
      hooks?.rolledBack()
      if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableTransactionError(err)) throw err
      await new Promise((r) => setTimeout(r, 10 * attempt * Math.random()))
    }
  }
}
