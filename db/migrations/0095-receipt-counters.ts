import type { Kysely } from 'kysely'

/*
 * A village's receipt numbers for a day (20261204-0007) come from a counter row instead of counting the day's
 * receipts on every sale: the count grew with each sale of the day (a busy counter, or the benchmark, spent
 * an eighth of a sale in it). The village's lock, held by every sale, keeps the counter exact.
 * A day that began before this migration starts its counter from that day's count, once (redeem.service.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('receipt_counters')
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('receipt_counters_pk', ['village_id', 'day'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('receipt_counters').ifExists().execute()
}
