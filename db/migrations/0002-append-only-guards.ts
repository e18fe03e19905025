import { type Kysely, sql } from 'kysely'

// The ledgers are append-only: the database itself refuses to rewrite history, so a bug cannot either.
// SQLite trigger syntax; a PostgreSQL deployment adds the equivalent BEFORE UPDATE OR DELETE triggers.
const GUARDED = ['ledger_entries', 'ledger_postings', 'stock_moves'] as const

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of GUARDED) {
    for (const op of ['UPDATE', 'DELETE'] as const) {
      const name = sql.id(`${table}_no_${op.toLowerCase()}`)
      await sql`CREATE TRIGGER ${name} BEFORE ${sql.raw(op)} ON ${sql.table(table)}
        BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} is append-only`)}); END`.execute(db)
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of GUARDED) {
    for (const op of ['update', 'delete']) await sql`DROP TRIGGER IF EXISTS ${sql.id(`${table}_no_${op}`)}`.execute(db)
  }
}
