import { sql } from 'kysely'
import { type DB, migrateToLatest, type OpenedDatabase } from './database.js'
import type { Database } from './schema.js'

/*
 * Copies a SQLite installation into an empty PostgreSQL database (npm run db:copy): the target is migrated,
 * then every table is copied in batches in foreign-key order, all in one transaction (all or nothing), and the
 * identity counters are moved past the copied ids. The hash chains are copied as they are: the caller checks
 * that every village's chain verifies on the target with the same head.
 */

/** Parents before children. */
export const COPY_ORDER: (keyof Database)[] = [
  'settings',
  'villages',
  'users',
  'login_failures',
  'audit_log',
  'households',
  'household_members',
  'cards',
  'rules',
  'awards',
  'award_households',
  'award_approvals',
  'award_objections',
  'award_evidence',
  'accounts',
  'ledger_entries',
  'ledger_postings',
  'expiry_runs',
  'products',
  'stock_receipts',
  'redemptions',
  'redemption_lines',
  'stock_moves',
  'idempotency_keys',
  'stocktakes',
  'stocktake_lines',
  'rate_buckets',
]
const IDENTITY_TABLES = ['login_failures', 'ledger_postings', 'stock_moves'] as const

export type Progress = (table: string, done: number, total: number) => void

export async function copyDatabase(
  from: OpenedDatabase,
  to: OpenedDatabase,
  progress: Progress = () => {},
): Promise<Record<string, number>> {
  if (!from.sqlite || to.dialect !== 'postgres')
    throw new Error('db:copy copies a SQLite file into a PostgreSQL database')
  await migrateToLatest(from.db) // the source must have every column the target has
  await migrateToLatest(to.db)
  const nonEmpty = await to.db.selectFrom('villages').select('id').limit(1).executeTakeFirst()
  const users = await to.db.selectFrom('users').select('id').limit(1).executeTakeFirst()
  if (nonEmpty || users) throw new Error('the target database is not empty: db:copy only fills an empty one')
  const copied: Record<string, number> = {}
  await to.db.transaction().execute(async (trx) => {
    for (const table of COPY_ORDER) copied[table] = await copyTable(from, trx, table, progress)
    for (const table of IDENTITY_TABLES) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(
        trx,
      )
    }
  })
  return copied
}

async function copyTable(from: OpenedDatabase, trx: DB, table: keyof Database, progress: Progress): Promise<number> {
  const sqlite = from.sqlite!
  const total = (sqlite.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n
  const columns = sqlite.prepare(`select name from pragma_table_info(?)`).pluck().all(table) as string[]
  // PostgreSQL takes at most 65,535 parameters a statement.
  const batch = Math.max(1, Math.min(2000, Math.floor(60_000 / columns.length)))
  const select = sqlite.prepare(
    `select rowid as "__rowid", ${columns.map((c) => `"${c}"`).join(', ')} from "${table}" where rowid > ? order by rowid limit ${batch}`,
  )
  let done = 0
  let after = 0
  progress(table, 0, total)
  for (;;) {
    const rows = select.all(after) as Record<string, unknown>[]
    if (rows.length === 0) break
    after = rows[rows.length - 1]!.__rowid as number
    for (const r of rows) delete r.__rowid
    await trx
      .insertInto(table)
      .values(rows as never)
      .execute()
    done += rows.length
    progress(table, done, total)
  }
  return done
}
