import { type Kysely, sql } from 'kysely'
import { dialectOf } from '../dialect.js'

// The ledgers are append-only: the database itself refuses to rewrite history, so a bug cannot either.
// SQLite: a trigger per table and operation that aborts. PostgreSQL: one trigger function that raises,
// BEFORE UPDATE OR DELETE on each row and BEFORE TRUNCATE; deployments also revoke UPDATE, DELETE and TRUNCATE
// on these tables from the application's role (README).
const GUARDED = ['ledger_entries', 'ledger_postings', 'stock_moves'] as const

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`CREATE OR REPLACE FUNCTION gongyi_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END $$`.execute(db)
    for (const table of GUARDED) {
      await sql`CREATE TRIGGER ${sql.id(`${table}_no_update_delete`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION gongyi_append_only()`.execute(db)
      await sql`CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION gongyi_append_only()`.execute(db)
    }
    return
  }
  for (const table of GUARDED) {
    for (const op of ['UPDATE', 'DELETE'] as const) {
      const name = sql.id(`${table}_no_${op.toLowerCase()}`)
      await sql`CREATE TRIGGER ${name} BEFORE ${sql.raw(op)} ON ${sql.table(table)}
        BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} is append-only`)}); END`.execute(db)
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    for (const table of GUARDED) {
      for (const t of ['no_update_delete', 'no_truncate'])
        await sql`DROP TRIGGER IF EXISTS ${sql.id(`${table}_${t}`)} ON ${sql.table(table)}`.execute(db)
    }
    await sql`DROP FUNCTION IF EXISTS gongyi_append_only()`.execute(db)
    return
  }
  for (const table of GUARDED) {
    for (const op of ['update', 'delete']) await sql`DROP TRIGGER IF EXISTS ${sql.id(`${table}_no_${op}`)}`.execute(db)
  }
}
