import { randomBytes } from 'node:crypto'
import type { DB } from '../../db/database.js'
import { type CheckpointKey, ephemeralCheckpointKey, loadOrCreateCheckpointKey } from './checkpoint-key.js'

/**
 * Signing keys, generated on first start, never in the repository. The token and card keys are kept in the
 * database; the checkpoint key is not (a copy of the database must not be able to sign checkpoints): it lives
 * in a key folder beside the database file (ledger/checkpoint.ts).
 */
export interface Secrets {
  tokenKey: Uint8Array
  cardKey: Uint8Array
  checkpointKey: CheckpointKey
}

async function loadOrCreate(db: DB, key: string): Promise<Uint8Array> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  if (row) return Buffer.from(row.value, 'base64')
  const value = randomBytes(32)
  await db
    .insertInto('settings')
    .values({ key, value: value.toString('base64') })
    .onConflict((oc) => oc.doNothing())
    .execute()
  const stored = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow()
  return Buffer.from(stored.value, 'base64')
}

/** `keyDir`: the folder of the checkpoint key (created on first start); without it, a throwaway key (tests). */
export async function loadSecrets(db: DB, opts: { keyDir?: string } = {}): Promise<Secrets> {
  return {
    tokenKey: await loadOrCreate(db, 'token_key'),
    cardKey: await loadOrCreate(db, 'card_key'),
    checkpointKey: opts.keyDir ? loadOrCreateCheckpointKey(opts.keyDir) : ephemeralCheckpointKey(),
  }
}
