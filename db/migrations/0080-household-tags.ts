import type { Kysely } from 'kysely'

/*
 * Household categories (issue 18): the "seven kinds of households" (低保, 特困, 五保, 重病, 残疾, 留守老人,
 * 留守儿童, 零就业) and 党员户, which villages visit and report on by category.
 * - household_tags: one row per household and category; the key carries village_id first so that a village's
 *   categories sit together (and on one node of a distributed PostgreSQL).
 * - household_members.party_member: a member who is a party member (党员), 0 or 1.
 * (db/database.ts runs each migration in a transaction.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('household_tags')
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text')
    .addPrimaryKeyConstraint('household_tags_pk', ['village_id', 'household_id', 'tag'])
    .execute()
  await db.schema.createIndex('household_tags_by_tag').on('household_tags').columns(['village_id', 'tag']).execute()
  await db.schema
    .alterTable('household_members')
    .addColumn('party_member', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('household_members').dropColumn('party_member').execute()
  await db.schema.dropTable('household_tags').ifExists().execute()
}
