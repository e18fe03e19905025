import type { Kysely } from 'kysely'

/*
 * The counter offline (issue 14):
 * - villages.offline_allowance: points a household may spend a day at a counter that has lost the network.
 * - redemption_conflicts: offline sales the server could not post when they arrived (points or stock no longer
 *   covered them, the card was revoked …): kept with their idempotency key until an approver settles them.
 * - counters: what each counter tablet last reported of its queue of unsynced sales, for the committee.
 * Portable types only (text, integer): the same migration runs on PostgreSQL. db/database.ts runs each
 * migration in a transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('villages')
    .addColumn('offline_allowance', 'integer', (c) => c.notNull().defaultTo(50))
    .execute()

  await db.schema
    .createTable('redemption_conflicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('counter_id', 'text')
    .addColumn('sold_at', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text')
    .addColumn('card_id', 'text')
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('error_code', 'text', (c) => c.notNull())
    .addColumn('error_message', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('received_by', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('settled_action', 'text')
    .addColumn('settled_reason', 'text')
    .addColumn('settled_by', 'text')
    .addColumn('settled_at', 'text')
    .addColumn('charged', 'integer')
    .addColumn('written_off', 'integer')
    .addColumn('ledger_entry_id', 'text')
    .execute()
  await db.schema
    .createIndex('redemption_conflicts_key')
    .unique()
    .on('redemption_conflicts')
    .columns(['village_id', 'idempotency_key'])
    .execute()
  await db.schema
    .createIndex('redemption_conflicts_open')
    .on('redemption_conflicts')
    .columns(['village_id', 'status', 'received_at'])
    .execute()

  await db.schema
    .createTable('counters')
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('counter_id', 'text', (c) => c.notNull())
    .addColumn('pending', 'integer', (c) => c.notNull())
    .addColumn('oldest_pending_at', 'text')
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addPrimaryKeyConstraint('counters_pk', ['village_id', 'counter_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('counters').execute()
  await db.schema.dropTable('redemption_conflicts').execute()
  await db.schema.alterTable('villages').dropColumn('offline_allowance').execute()
}
