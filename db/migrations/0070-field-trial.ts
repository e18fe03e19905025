import type { Kysely } from 'kysely'

/*
 * The field trial (issue 17):
 * - award_households.excluded_reason / excluded_by / excluded_at: a household the approver left out of an award
 *   because a rule limit would be exceeded when it posts; the others post, the reason stays with the award.
 * - stock_receipts.receipt_no: a donation receipt's readable number, per village and year (JZ-2026-0007),
 *   unique in the village. Receipts made before this have none (the page then prints the id, as before).
 * (db/database.ts runs each migration in a transaction.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('award_households').addColumn('excluded_reason', 'text').execute()
  await db.schema.alterTable('award_households').addColumn('excluded_by', 'text').execute()
  await db.schema.alterTable('award_households').addColumn('excluded_at', 'text').execute()
  await db.schema.alterTable('stock_receipts').addColumn('receipt_no', 'text').execute()
  await db.schema
    .createIndex('stock_receipts_no_unique')
    .unique()
    .on('stock_receipts')
    .columns(['village_id', 'receipt_no'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('stock_receipts_no_unique').ifExists().execute()
  await db.schema.alterTable('stock_receipts').dropColumn('receipt_no').execute()
  for (const c of ['excluded_at', 'excluded_by', 'excluded_reason'])
    await db.schema.alterTable('award_households').dropColumn(c).execute()
}
