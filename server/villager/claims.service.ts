import type { DB } from '../../db/database.js'
import { withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Row } from '../../db/schema.js'
import type { Page } from '../../shared/schemas/common.js'
import type { ClaimInput, ClaimStatus } from '../../shared/schemas/villager.js'
import { localDate } from '../../shared/time.js'
import type { AcceptedClaim, Claim, SubmittedClaim } from '../../shared/types/villager.js'
import { proposeAward } from '../awards/awards.service.js'
import { checkPhoto } from '../awards/evidence.js'
import {
  type ActingUser,
  actorIdOf,
  assertVillage,
  type VillagerPrincipal as Villager,
  villagerActor,
} from '../core/actor.js'
import { DomainError, invalidState, notFound } from '../core/errors.js'
import { scopedVillage } from '../core/scope.js'
import { getVillage } from '../villages/villages.service.js'

/*
 * 申报: a household asks the committee to recognise a deed, from its own phone. The clerk either accepts it —
 * it becomes an award proposal of the chosen rule for that household (approval and public notice follow as for
 * any award) and the claim keeps the award's id — or declines it with a written reply the household reads.
 */

const bad = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, [{ field, message }])

/** The phone's photo: base64, or a data: URL; JPEG or PNG by content and within the evidence size cap. */
function decodePhoto(photo: string): { mime: string; base64: string } {
  const base64 = photo.replace(/^data:[\w/+.-]+;base64,/, '').replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw bad('photo', 'the photo is not base64')
  const bytes = Buffer.from(base64, 'base64')
  return { mime: checkPhoto(bytes, 'photo'), base64: bytes.toString('base64') }
}

export async function submitClaim(db: DB, v: Villager, input: ClaimInput): Promise<SubmittedClaim> {
  const village = await getVillage(db, villagerActor(v), v.villageId)
  if (input.occurredOn > localDate(new Date(), village.timezone)) throw bad('occurredOn', 'not in the future')
  const photo = input.photo ? decodePhoto(input.photo) : null
  if (input.memberId) {
    const m = await db
      .selectFrom('household_members')
      .select('id')
      .where('id', '=', input.memberId)
      .where('household_id', '=', v.householdId)
      .where('removed_at', 'is', null)
      .executeTakeFirst()
    if (!m) throw bad('memberId', 'not a member of this household')
  }
  if (input.ruleId) {
    const r = await db
      .selectFrom('rules')
      .select('id')
      .where('id', '=', input.ruleId)
      .where('village_id', '=', v.villageId)
      .where('active', '=', 1)
      .executeTakeFirst()
    if (!r) throw bad('ruleId', 'not an active rule of this village')
  }
  const row: Row<'claims'> = {
    id: newId(),
    village_id: v.villageId,
    household_id: v.householdId,
    member_id: input.memberId ?? null,
    rule_id: input.ruleId ?? null,
    description: input.description,
    occurred_on: input.occurredOn,
    status: 'submitted',
    photo_mime: photo?.mime ?? null,
    photo_base64: photo?.base64 ?? null,
    submitted_at: nowIso(),
    award_id: null,
    reply: null,
    decided_by: null,
    decided_at: null,
  }
  await db.insertInto('claims').values(row).execute()
  return { id: row.id, status: 'submitted' }
}

function selectClaims(db: DB) {
  return db
    .selectFrom('claims as c')
    .innerJoin('households as h', 'h.id', 'c.household_id')
    .leftJoin('household_members as m', 'm.id', 'c.member_id')
    .leftJoin('rules as r', 'r.id', 'c.rule_id')
    .leftJoin('users as u', 'u.id', 'c.decided_by')
    .select([
      'c.id',
      'c.household_id',
      'h.household_no',
      'h.head_name',
      'c.member_id',
      'm.name as member_name',
      'c.rule_id',
      'r.name as rule_name',
      'c.description',
      'c.occurred_on',
      'c.status',
      'c.photo_mime',
      'c.submitted_at',
      'c.award_id',
      'c.reply',
      'c.decided_at',
      'u.username as decided_by_name',
      'u.display_name as decided_by_display',
    ])
}

type ClaimRow = Awaited<ReturnType<ReturnType<typeof selectClaims>['executeTakeFirstOrThrow']>>

const claimRowToClaim = (r: ClaimRow): Claim => ({
  id: r.id,
  householdId: r.household_id,
  householdNo: r.household_no,
  headName: r.head_name,
  memberId: r.member_id,
  memberName: r.member_name,
  ruleId: r.rule_id,
  ruleName: r.rule_name,
  description: r.description,
  occurredOn: r.occurred_on,
  status: r.status,
  hasPhoto: r.photo_mime !== null,
  submittedAt: r.submitted_at,
  awardId: r.award_id,
  reply: r.reply,
  decidedBy: r.decided_by_display ?? r.decided_by_name ?? null,
  decidedAt: r.decided_at,
})

/** The household's own claims, newest first, with the committee's answer. */
export async function myClaims(db: DB, v: Villager): Promise<{ items: Claim[] }> {
  const rows = await selectClaims(db)
    .where('c.household_id', '=', v.householdId)
    .where('c.village_id', '=', v.villageId)
    .orderBy('c.submitted_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(200)
    .execute()
  return { items: rows.map(claimRowToClaim) }
}

/** The village's claims for the committee, newest first, a page at a time. */
export async function listClaims(
  db: DB,
  actor: ActingUser,
  villageId: string,
  opts: { status?: ClaimStatus; limit: number; cursor?: string },
): Promise<Page<Claim>> {
  assertVillage(actor, villageId)
  let q = selectClaims(db)
    .where('c.village_id', '=', villageId)
    .orderBy('c.id', 'desc')
    .limit(opts.limit + 1)
  if (opts.status) q = q.where('c.status', '=', opts.status)
  if (opts.cursor) q = q.where('c.id', '<', opts.cursor)
  const rows = await q.execute()
  const page = rows.slice(0, opts.limit)
  return { items: page.map(claimRowToClaim), nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null }
}

async function readClaim(db: DB, villageId: string, id: string): Promise<Claim> {
  const row = await selectClaims(db).where('c.id', '=', id).where('c.village_id', '=', villageId).executeTakeFirst()
  if (!row) throw notFound('claim')
  return claimRowToClaim(row)
}

export async function getClaim(db: DB, actor: ActingUser, id: string): Promise<Claim> {
  return readClaim(db, await scopedVillage(db, actor, 'claims', id), id)
}

export async function claimPhoto(db: DB, actor: ActingUser, id: string): Promise<{ mime: string; bytes: Buffer }> {
  const villageId = await scopedVillage(db, actor, 'claims', id)
  const row = await db
    .selectFrom('claims')
    .select(['photo_mime', 'photo_base64'])
    .where('id', '=', id)
    .where('village_id', '=', villageId)
    .executeTakeFirst()
  if (!row?.photo_mime || !row.photo_base64) throw notFound('photo')
  return { mime: row.photo_mime, bytes: Buffer.from(row.photo_base64, 'base64') }
}

async function openClaim(trx: DB, villageId: string, id: string): Promise<Row<'claims'>> {
  const claim = await trx
    .selectFrom('claims')
    .selectAll()
    .where('id', '=', id)
    .where('village_id', '=', villageId)
    .executeTakeFirst()
  if (!claim) throw notFound('claim')
  if (claim.status !== 'submitted') throw invalidState(`the claim was already ${claim.status}`)
  return claim
}

/**
 * The clerk accepts: one award proposal of `ruleId` for the household (and member), dated the deed's day, with
 * the claim's photo as its evidence. Approval and the public notice follow as for any award.
 */
export async function acceptClaim(
  db: DB,
  actor: ActingUser,
  id: string,
  input: { ruleId: string; note?: string | null },
): Promise<AcceptedClaim> {
  const villageId = await scopedVillage(db, actor, 'claims', id)
  return withTransaction(db, async (trx) => {
    const claim = await openClaim(trx, villageId, id)
    const award = await proposeAward(trx, actor, villageId, {
      ruleId: input.ruleId,
      householdIds: [claim.household_id],
      occurredOn: claim.occurred_on,
      note: input.note || `村民申报：${claim.description}`.slice(0, 500),
      memberId: claim.member_id,
    })
    if (claim.photo_mime && claim.photo_base64) {
      await trx
        .insertInto('award_evidence')
        .values({
          id: newId(),
          village_id: villageId,
          award_id: award.id,
          mime: claim.photo_mime,
          bytes: Buffer.from(claim.photo_base64, 'base64'),
          at: nowIso(),
        })
        .execute()
    }
    await trx
      .updateTable('claims')
      .set({
        status: 'accepted',
        rule_id: input.ruleId,
        award_id: award.id,
        decided_by: actorIdOf(actor),
        decided_at: nowIso(),
      })
      .where('id', '=', id)
      .execute()
    return { ...(await readClaim(trx, villageId, id)), award }
  })
}

/** The clerk declines with a written reply; the household reads who answered, when, and what. */
export async function declineClaim(db: DB, actor: ActingUser, id: string, reply: string): Promise<Claim> {
  const villageId = await scopedVillage(db, actor, 'claims', id)
  return withTransaction(db, async (trx) => {
    await openClaim(trx, villageId, id)
    await trx
      .updateTable('claims')
      .set({ status: 'declined', reply, decided_by: actorIdOf(actor), decided_at: nowIso() })
      .where('id', '=', id)
      .execute()
    return readClaim(trx, villageId, id)
  })
}
