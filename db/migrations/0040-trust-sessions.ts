import type { Kysely } from 'kysely'

// Logged-out tokens, by their jti, until they would have expired anyway: kept in the database so that every
// process on the file (a second server, a CLI) refuses them. Portable types only. (db/database.ts runs each
// migration in a transaction.)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('revoked_tokens')
    .addColumn('jti', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('revoked_tokens_by_expiry').on('revoked_tokens').columns(['expires_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('revoked_tokens').ifExists().execute()
}
