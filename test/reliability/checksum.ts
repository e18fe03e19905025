import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { type DB, dialectOf } from '../../db/database.js'

/*
 * What a refused request may legitimately write: the audit log records refusals, failed logins are counted
 * for the login lockout, a card resolve spends from its rate-limit bucket (a row on PostgreSQL, 0005) whatever
 * the answer, and a wrong PIN at the counter is counted on the household for the PIN lockout.
 * Everything else must be byte-for-byte the same after a 4xx.
 */
const MAY_CHANGE_ON_REFUSAL = new Set(['audit_log', 'login_failures', 'rate_buckets'])
const COUNTERS_ON_REFUSAL: Record<string, string[]> = { households: ['pin_failures', 'pin_locked_until'] }

type Tables = { name: string; columns: string[] }[]
const schemas = new WeakMap<DB, Promise<Tables>>()

/** The tables and the columns that count, looked up once per database (the schema does not change in a test). */
function tablesOf(db: DB): Promise<Tables> {
  let t = schemas.get(db)
  if (!t) {
    t = db.introspection.getTables().then((tables) =>
      tables
        .filter((table) => !MAY_CHANGE_ON_REFUSAL.has(table.name))
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((table) => ({
          name: table.name,
          columns: table.columns.map((c) => c.name).filter((c) => !(COUNTERS_ON_REFUSAL[table.name] ?? []).includes(c)),
        })),
    )
    schemas.set(db, t)
  }
  return t
}

/** A hash of every row of every table (but the counters above), in a fixed order; SQLite or PostgreSQL. */
export async function databaseChecksum(db: DB): Promise<string> {
  const tables = await tablesOf(db)
  if (dialectOf(db) === 'postgres') {
    // One round trip: each table's rows as text, sorted, hashed by the server.
    const parts = tables.map(
      (t) =>
        sql`(select md5(coalesce(string_agg(r::text, '|' order by r::text), '')) from (select ${sql.join(t.columns.map((c) => sql.ref(c)))} from ${sql.table(t.name)}) r) as ${sql.id(t.name)}`,
    )
    const { rows } = await sql<Record<string, string>>`select ${sql.join(parts)}`.execute(db)
    return createHash('sha256').update(JSON.stringify(rows[0])).digest('hex')
  }
  const hash = createHash('sha256')
  for (const { name, columns } of tables) {
    const table = { name }
    hash.update(`\0${table.name}\0`)
    // Ordered by every column: the same rows hash alike whatever order they were written or stored in.
    const order = sql.join(columns.map((_, i) => sql.raw(String(i + 1))))
    const { rows } = await sql<
      Record<string, unknown>
    >`select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table.name)} order by ${order}`.execute(db)
    for (const row of rows) hash.update(JSON.stringify(Object.values(row))) // a Buffer (evidence photo) serialises as its bytes
  }
  return hash.digest('hex')
}
