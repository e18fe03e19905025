import { type Kysely, sql } from 'kysely'
import { dialectOf } from '../dialect.js'

/*
 * Ready to shard by village (SCALING.md, db/citus.sql):
 * - the four child tables that lacked village_id get it, filled from their parent row;
 * - the unique keys that did not include village_id get a version that does: accounts (village_id,
 *   household_id) and ledger_entries (village_id, reverses_id). PostgreSQL drops the old single-column
 *   constraints; SQLite cannot drop a column's UNIQUE without rebuilding the table, so there the old unique
 *   index stays beside the new one (stricter, never looser: a household has one account, an entry one reversal,
 *   and both ids are globally unique anyway);
 * - rate_buckets: the card-resolve allowance per user, shared by every server process (GONGYI_WORKERS).
 */
const CHILDREN = [
  ['award_households', 'awards', 'award_id'],
  ['award_approvals', 'awards', 'award_id'],
  ['redemption_lines', 'redemptions', 'redemption_id'],
  ['stocktake_lines', 'stocktakes', 'stocktake_id'],
] as const

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  for (const [table, parent, fk] of CHILDREN) {
    // SQLite adds a NOT NULL column only with a default; '' is never left behind (filled just below).
    await db.schema
      .alterTable(table)
      .addColumn('village_id', 'text', (c) => c.notNull().defaultTo(''))
      .execute()
    await sql`update ${sql.table(table)} set village_id = (select p.village_id from ${sql.table(parent)} p where p.id = ${sql.ref(`${table}.${fk}`)})`.execute(
      db,
    )
    if (pg) await sql`alter table ${sql.table(table)} alter column village_id drop default`.execute(db)
  }
  await db.schema
    .createIndex('accounts_village_household_unique')
    .unique()
    .on('accounts')
    .columns(['village_id', 'household_id'])
    .execute()
  await db.schema
    .createIndex('ledger_village_reverses_unique')
    .unique()
    .on('ledger_entries')
    .columns(['village_id', 'reverses_id'])
    .execute()
  if (pg) {
    await sql`alter table accounts drop constraint if exists accounts_household_id_key`.execute(db)
    await sql`alter table ledger_entries drop constraint if exists ledger_entries_reverses_id_key`.execute(db)
  }

  await db.schema
    .createTable('rate_buckets')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull()) // ms since the epoch
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_buckets').ifExists().execute()
  await db.schema.dropIndex('ledger_village_reverses_unique').ifExists().execute()
  await db.schema.dropIndex('accounts_village_household_unique').ifExists().execute()
  for (const [table] of CHILDREN) await db.schema.alterTable(table).dropColumn('village_id').execute()
}
