import { sql } from 'kysely'
import { type DB, dialectOf, lockVillage, withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import { type ActingUser, assertVillage } from '../core/actor.js'
import { DomainError, invalidState, notFound } from '../core/errors.js'

export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
/** Per award (issue 13: photos without end would fill the office PC's disk through one award). */
export const MAX_EVIDENCE_PER_AWARD = 10
export const MAX_EVIDENCE_TOTAL_BYTES = 20 * 1024 * 1024

/** The file's own first bytes decide what it is, never its name or the declared type. */
export function sniffImage(bytes: Uint8Array): 'image/jpeg' | 'image/png' | null {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (bytes.length > 8 && png.every((b, i) => bytes[i] === b)) return 'image/png'
  return null
}

/** A photo's type by its content, once it is within the size cap: an award's evidence, a villager's 申报 photo. */
export function checkPhoto(bytes: Uint8Array, field = 'body'): 'image/jpeg' | 'image/png' {
  if (bytes.length > MAX_EVIDENCE_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE', 'a photo may be at most 5 MB')
  const mime = sniffImage(bytes)
  if (!mime)
    throw new DomainError('VALIDATION_FAILED', 'evidence must be a JPEG or PNG photo', [
      { field, message: 'not a JPEG or PNG image' },
    ])
  return mime
}

export async function addEvidence(db: DB, actor: ActingUser, awardId: string, bytes: Uint8Array) {
  const mime = checkPhoto(bytes)
  const award = await db
    .selectFrom('awards')
    .select(['village_id', 'status'])
    .where('id', '=', awardId)
    .executeTakeFirst()
  if (!award) throw notFound('award')
  assertVillage(actor, award.village_id)
  if (award.status !== 'pending' && award.status !== 'publicized') throw invalidState(`the award is ${award.status}`)
  const row = {
    id: newId(),
    village_id: award.village_id,
    award_id: awardId,
    mime,
    bytes: Buffer.from(bytes),
    at: nowIso(),
  }
  await withTransaction(db, async (trx) => {
    // Counted under the village's lock, so photos sent at once cannot each pass the count.
    await lockVillage(trx, award.village_id)
    const size = dialectOf(trx) === 'postgres' ? sql<number>`octet_length(bytes)` : sql<number>`length(bytes)`
    const held = await trx
      .selectFrom('award_evidence')
      .where('award_id', '=', awardId)
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.coalesce(eb.fn.sum<number>(size), sql<number>`0`).as('total'),
      ])
      .executeTakeFirstOrThrow()
    if (Number(held.n) >= MAX_EVIDENCE_PER_AWARD || Number(held.total) + bytes.length > MAX_EVIDENCE_TOTAL_BYTES) {
      throw new DomainError(
        'PAYLOAD_TOO_LARGE',
        `一项奖励最多 ${MAX_EVIDENCE_PER_AWARD} 张照片、共 20 MB (an award holds at most ${MAX_EVIDENCE_PER_AWARD} photos, 20 MB in all)`,
        { photos: Number(held.n), bytes: Number(held.total) },
      )
    }
    await trx.insertInto('award_evidence').values(row).execute()
  })
  return { id: row.id, mime, bytes: bytes.length, at: row.at }
}

export async function getEvidence(db: DB, actor: ActingUser, awardId: string, evidenceId: string) {
  const row = await db
    .selectFrom('award_evidence')
    .select(['mime', 'bytes', 'village_id'])
    .where('id', '=', evidenceId)
    .where('award_id', '=', awardId)
    .executeTakeFirst()
  if (!row) throw notFound('evidence')
  assertVillage(actor, row.village_id)
  return { mime: row.mime, bytes: row.bytes }
}
