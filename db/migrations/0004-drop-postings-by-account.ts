import type { Kysely } from 'kysely'

// Nothing reads postings by account (verify sums them while walking the chain), and on a county's ledger
// this random-order index cost a 10,000-household posting about a fifth of its time (bench/experiments).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('postings_by_account').ifExists().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('postings_by_account').on('ledger_postings').columns(['account_id']).execute()
}
