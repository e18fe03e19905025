import type { Kysely } from 'kysely'

/*
 * Issue 13, the rest of "no single person creates points" and "an audit trail that survives":
 * - adjustments: a manual adjustment is a proposal (pending → posted | rejected) until a second approver
 *   approves it; the posted ledger entry is named.
 * - users.must_change_password: the generated first admin password works only to choose a new one.
 * - login_failures.address: the per-address login limit counts failures by the client's address too.
 * - audit_log.household_id and changes: the auditor filters by household; an update records its fields
 *   before → after (JSON text).
 * Portable types only. (db/database.ts runs each migration in a transaction.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('adjustments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('reject_reason', 'text')
    .addColumn('entry_id', 'text')
    .execute()
  await db.schema
    .createIndex('adjustments_by_village')
    .on('adjustments')
    .columns(['village_id', 'status', 'proposed_at'])
    .execute()

  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('login_failures').addColumn('address', 'text').execute()
  await db.schema.createIndex('login_failures_by_address').on('login_failures').columns(['address', 'at']).execute()
  await db.schema.alterTable('audit_log').addColumn('household_id', 'text').execute()
  await db.schema.alterTable('audit_log').addColumn('changes', 'text').execute()
  await db.schema.createIndex('audit_by_village_at').on('audit_log').columns(['village_id', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('adjustments').ifExists().execute()
}
