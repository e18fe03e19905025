import { type Kysely, sql } from 'kysely'
import { dialectOf } from '../dialect.js'

/*
 * PostgreSQL only (issue 15): a trigram index for household search, which matches `search_key LIKE '%q%'`.
 * Measured on a 52,000-household village (bench/experiments/pg-trgm.ts, SCALING.md): a search of three letters
 * or more (a full pinyin 'liguo', initials 'wgh', a number) went from a ~50 ms scan of the village to ~1-2 ms;
 * one or two characters (李, 'xh', 李国) cannot use trigrams and scan as before, no slower. SQLite keeps its scan.
 * pg_trgm is in postgresql-contrib and is a trusted extension (PostgreSQL 13+), so the database's owner may
 * create it; where it is not installed the search still works, by the scan, and the server says so once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  const available = await sql<{
    n: number
  }>`select count(*) as n from pg_available_extensions where name = 'pg_trgm'`.execute(db)
  if (Number(available.rows[0]?.n) === 0) {
    console.error(
      JSON.stringify({
        level: 'warn',
        msg: 'pg_trgm is not installed (postgresql-contrib): household search scans the village',
      }),
    )
    return
  }
  await sql`create extension if not exists pg_trgm`.execute(db)
  await sql`create index if not exists households_search_trgm on households using gin (search_key gin_trgm_ops)`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await sql`drop index if exists households_search_trgm`.execute(db)
}
