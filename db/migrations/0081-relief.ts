import type { Kysely } from 'kysely'

/*
 * The relief shelf (阳光超市, issue 18): necessities the same supermarket gives free to needy households.
 * - relief_distributions: one handing-out (goods, to listed households or all of a category, a note).
 * - relief_shares: what each household received, line by line (quantity and the points price of the day, so a
 *   report next year still values it as it was); the sign-off sheet (签领表) prints one line per household.
 * - stock_moves.relief_id: the distribution a 'relief' stock move belongs to (goods out, no points move).
 * (db/database.ts runs each migration in a transaction.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('relief_distributions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('tag', 'text')
    .addColumn('household_count', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute()
  await db.schema
    .createIndex('relief_distributions_by_village')
    .on('relief_distributions')
    .columns(['village_id', 'at'])
    .execute()
  await db.schema
    .createTable('relief_shares')
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('relief_id', 'text', (c) => c.notNull().references('relief_distributions.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_points', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('relief_shares_pk', ['village_id', 'relief_id', 'household_id', 'product_id'])
    .execute()
  await db.schema
    .createIndex('relief_shares_by_household')
    .on('relief_shares')
    .columns(['village_id', 'household_id'])
    .execute()
  await db.schema.alterTable('stock_moves').addColumn('relief_id', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stock_moves').dropColumn('relief_id').execute()
  await db.schema.dropTable('relief_shares').ifExists().execute()
  await db.schema.dropTable('relief_distributions').ifExists().execute()
}
