import { createHash } from 'node:crypto'
import type { DB } from '../../../db/database.js'
import { nowIso } from '../../../db/ids.js'
import { DomainError } from '../../core/errors.js'

/*
 * Village networks drop: a kiosk that did not hear the answer sends the same request again with the same
 * Idempotency-Key. The key is stored with a hash of the request and the answer, in the transaction that did
 * the work, so a retry gets the first answer back and nothing happens twice; the same key with another
 * request is refused. Keys are kept KEEP_DAYS days, far longer than any retry.
 */

export const KEEP_DAYS = 30

export interface StoredAnswer {
  status: number
  body: unknown
}

/** JSON with object keys sorted, so two encodings of one request hash alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

export function requestHash(operation: string, villageId: string, request: unknown): string {
  return createHash('sha256').update(canonicalJson({ operation, villageId, request })).digest('hex')
}

/** The answer already given for this key, or null; another request under the same key is a 409. */
export async function findAnswer(db: DB, villageId: string, key: string, hash: string): Promise<StoredAnswer | null> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status', 'response'])
    .where('village_id', '=', villageId)
    .where('key', '=', key)
    .executeTakeFirst()
  if (!row) return null
  if (row.request_hash !== hash) {
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used for a different request')
  }
  return { status: row.status, body: JSON.parse(row.response) }
}

/** Keeps the answer under its key; call inside the transaction that did the work. */
export async function storeAnswer(trx: DB, villageId: string, key: string, hash: string, answer: StoredAnswer) {
  await trx
    .insertInto('idempotency_keys')
    .values({
      village_id: villageId,
      key,
      request_hash: hash,
      status: answer.status,
      response: JSON.stringify(answer.body),
      created_at: nowIso(),
    })
    .execute()
}

/** Forgets keys older than KEEP_DAYS (idempotency_keys is a cache of answers, not a ledger). */
export async function purgeIdempotencyKeys(db: DB, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - KEEP_DAYS * 86_400_000).toISOString()
  const res = await db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).executeTakeFirst()
  return Number(res.numDeletedRows)
}
