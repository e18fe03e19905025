import { randomBytes } from 'node:crypto'
import type { DB } from '../../db/database.js'

/** Signing keys, generated on first start and kept in the database, never in the repository. */
export interface Secrets {
  tokenKey: Uint8Array
  cardKey: Uint8Array
}

async function loadOrCreate(db: DB, key: string): Promise<Uint8Array> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  if (row) return Buffer.from(row.value, 'base64')
  const value = randomBytes(32)
  await db.insertInto('settings').values({ key, value: value.toString('base64') }).onConflict((oc) => oc.doNothing()).execute()
  const stored = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow()
  return Buffer.from(stored.value, 'base64')
}

export async function loadSecrets(db: DB): Promise<Secrets> {
  return { tokenKey: await loadOrCreate(db, 'token_key'), cardKey: await loadOrCreate(db, 'card_key') }
}
