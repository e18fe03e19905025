import { randomBytes } from 'node:crypto'
import { type RawBuilder, sql } from 'kysely'
import pg from 'pg'
import { type DB, migrateToLatest, type OpenedDatabase, openDatabase } from '../db/database.js'

/*
 * Where tests get their database. `npm test`: SQLite in memory (or the file a test names). `npm run test:pg`
 * sets GONGYI_TEST_PG to a PostgreSQL server URL: every test database is then a fresh database on that server
 * (CREATE DATABASE gongyi_t_<random>), dropped when the test file ends, and the same tests run against it.
 */
export const TEST_PG = process.env.GONGYI_TEST_PG?.trim() || undefined
export const onPostgres = TEST_PG !== undefined
/** For describe.skipIf / test.skipIf: why a test does not run on PostgreSQL is said next to it. */
export const sqliteOnly = onPostgres

export interface TestDatabase extends OpenedDatabase {
  /** What a second process opens to reach the same data: the SQLite file or the PostgreSQL URL. */
  target: string
}

const open = new Set<TestDatabase>()

/** The URL of another database on the test server. */
export function pgUrl(database: string): string {
  const u = new URL(TEST_PG!)
  u.pathname = `/${database}`
  return u.toString()
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl('postgres') })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** A fresh, empty database on the test PostgreSQL server; returns its URL and a function that drops it. */
export async function createPgDatabase(
  prefix = 'gongyi_t',
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`CREATE DATABASE ${name}`))
  return {
    url: pgUrl(name),
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  }
}

/**
 * A database for one test file: on PostgreSQL a new database of its own, else SQLite (`file`, or in memory).
 * Not migrated: testContext and the tests that need an empty schema call migrateToLatest themselves.
 */
export async function openTestDatabase(file = ':memory:', opts: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (!onPostgres) {
    const opened = openDatabase(file)
    return { ...opened, target: file }
  }
  const created = await createPgDatabase()
  const opened = openDatabase(created.url, { poolSize: opts.poolSize ?? 8 })
  let closed: Promise<void> | null = null
  const t: TestDatabase = {
    ...opened,
    target: created.url,
    close: () => {
      closed ??= (async () => {
        open.delete(t)
        await opened.close()
        await created.drop()
      })()
      return closed
    },
  }
  open.add(t)
  return t
}

/** A migrated test database. */
export async function openMigratedTestDatabase(file = ':memory:'): Promise<TestDatabase> {
  const t = await openTestDatabase(file)
  await migrateToLatest(t.db)
  return t
}

/** Closes (and on PostgreSQL drops) every test database still open: test/setup.ts calls it after each file. */
export async function closeTestDatabases() {
  await Promise.all([...open].map((t) => t.close()))
}

/** Raw SQL with `?` placeholders on either dialect, for tests that look behind the services. */
export function rawSql<T = Record<string, unknown>>(text: string, ...params: unknown[]): RawBuilder<T> {
  const parts = text.split('?')
  let out: RawBuilder<unknown> = sql.raw(parts[0]!)
  for (let i = 1; i < parts.length; i++) out = sql`${out}${params[i - 1]}${sql.raw(parts[i]!)}`
  return out as RawBuilder<T>
}

export async function queryRows<T = Record<string, unknown>>(db: DB, text: string, ...params: unknown[]): Promise<T[]> {
  return (await rawSql<T>(text, ...params).execute(db)).rows
}

export async function queryOne<T = Record<string, unknown>>(
  db: DB,
  text: string,
  ...params: unknown[]
): Promise<T | undefined> {
  return (await queryRows<T>(db, text, ...params))[0]
}

/** Runs a statement that must be refused; resolves to the error's message ('' when it was not refused). */
export async function refusal(db: DB, text: string, ...params: unknown[]): Promise<string> {
  try {
    await rawSql(text, ...params).execute(db)
    return ''
  } catch (err) {
    return String((err as Error).message)
  }
}
