import type { Kysely } from 'kysely'

/*
 * The villager's side (issue 16):
 * - villager_sessions: a phone signed in from a household's card. The token names its session, so signing out
 *   ends it; the session names its card, so reissuing the card ends it too.
 * - claims (申报): deeds a household asks the committee to recognise, with the committee's answer: accepted
 *   (the award proposal it became) or declined (the written reply, who and when). The phone's photo is kept as
 *   base64 text, a type every dialect has; accepting a claim copies it to the award's evidence.
 * (db/database.ts runs each migration in a transaction.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('villager_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute()
  await db.schema
    .createIndex('villager_sessions_by_household')
    .on('villager_sessions')
    .columns(['village_id', 'household_id'])
    .execute()

  await db.schema
    .createTable('claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('member_id', 'text')
    .addColumn('rule_id', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('photo_mime', 'text')
    .addColumn('photo_base64', 'text')
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('award_id', 'text')
    .addColumn('reply', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .execute()
  await db.schema
    .createIndex('claims_by_village')
    .on('claims')
    .columns(['village_id', 'status', 'submitted_at'])
    .execute()
  await db.schema.createIndex('claims_by_household').on('claims').columns(['household_id', 'submitted_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('claims').ifExists().execute()
  await db.schema.dropTable('villager_sessions').ifExists().execute()
}
