import { sql } from 'kysely'
import type { DB } from '../../db/database.js'
import { lockVillage, lockVillageOf, withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Row } from '../../db/schema.js'
import type { Page } from '../../shared/schemas/common.js'
import type { CreateHouseholdInput, MemberInput, UpdateHouseholdInput } from '../../shared/schemas/households.js'
import type { Household, Member } from '../../shared/types/households.js'
import { hashSecret } from '../auth/auth.service.js'
import { type ActingUser, assertVillage } from '../core/actor.js'
import { scopedVillage } from '../core/scope.js'
import { changedFields, noteAudit } from '../core/audit-context.js'
import { patchOf } from '../../db/patch.js'
import { notFound, duplicate } from '../core/errors.js'
import { rethrowUnique } from '../../db/errors.js'
import { householdAccount, openHouseholdAccounts } from '../ledger/ledger.service.js'
import { containsPattern, searchKey } from './search-key.js'
import type { HouseholdTag, MemberPatchInput } from '../../shared/schemas/tags.js'
import { setPartyMember, tagsOf, writeTags } from '../tags/tags.service.js'

export type { Household, Member }

type HouseholdWithBalance = Row<'households'> & { balance: number }

export function householdRowToHousehold(
  r: HouseholdWithBalance,
  members?: Row<'household_members'>[],
  tags: string[] = [],
): Household {
  const h: Household = {
    id: r.id,
    villageId: r.village_id,
    householdNo: r.household_no,
    headName: r.head_name,
    phone: r.phone,
    address: r.address,
    hasPin: r.pin_hash !== null,
    balance: r.balance,
    honour: r.honour,
    suspendedUntil: r.suspended_until,
    suspendedReason: r.suspended_reason,
    createdAt: r.created_at,
    tags,
  }
  if (members) {
    h.members = members.map((m) => ({
      id: m.id,
      name: m.name,
      relation: m.relation,
      addedAt: m.added_at,
      removedAt: m.removed_at,
      partyMember: m.party_member === 1,
    }))
  }
  return h
}

function selectHouseholds(db: DB) {
  return db
    .selectFrom('households')
    .innerJoin('accounts', 'accounts.id', 'households.id')
    .selectAll('households')
    .select('accounts.balance')
}

export function newHouseholdRow(
  villageId: string,
  input: Omit<CreateHouseholdInput, 'pin'>,
  pinHash: string | null,
  memberNames: string[],
): Row<'households'> {
  const at = nowIso()
  return {
    id: newId(),
    village_id: villageId,
    household_no: input.householdNo,
    head_name: input.headName,
    phone: input.phone ?? null,
    address: input.address ?? null,
    pin_hash: pinHash,
    search_key: searchKey(input.householdNo, [input.headName, ...memberNames]),
    honour: 0,
    pin_failures: 0,
    pin_locked_until: null,
    suspended_until: null,
    suspended_reason: null,
    created_at: at,
    updated_at: at,
  }
}

function memberRows(villageId: string, householdId: string, members: MemberInput[]): Row<'household_members'>[] {
  const at = nowIso()
  return members.map((m) => ({
    id: newId(),
    village_id: villageId,
    household_id: householdId,
    name: m.name,
    relation: m.relation ?? null,
    added_at: at,
    removed_at: null,
    party_member: m.partyMember ? 1 : 0,
  }))
}

export async function createHousehold(
  db: DB,
  actor: ActingUser,
  villageId: string,
  input: CreateHouseholdInput,
): Promise<Household> {
  assertVillage(actor, villageId)
  // Hash outside the transaction: scrypt is slow and the database is one connection.
  const pinHash = input.pin ? await hashSecret(input.pin) : null
  const members = input.members ?? []
  const row = newHouseholdRow(
    villageId,
    input,
    pinHash,
    members.map((m) => m.name),
  )
  try {
    await withTransaction(db, async (trx) => {
      await lockVillage(trx, villageId)
      await trx.insertInto('households').values(row).execute()
      await openHouseholdAccounts(trx, villageId, [row.id])
      if (members.length)
        await trx
          .insertInto('household_members')
          .values(memberRows(villageId, row.id, members))
          .execute()
      if (input.tags?.length) await writeTags(trx, villageId, row.id, input.tags, actor)
    })
  } catch (err) {
    rethrowUnique(err, () => duplicate(`household number ${input.householdNo} already exists in this village`))
  }
  return getHousehold(db, actor, row.id)
}

export async function getHousehold(
  db: DB,
  actor: ActingUser,
  id: string,
  opts: { members: boolean } = { members: true },
): Promise<Household> {
  const row = await selectHouseholds(db).where('households.id', '=', id).executeTakeFirst()
  if (!row) throw notFound('household')
  assertVillage(actor, row.village_id)
  const tags = (await tagsOf(db, row.village_id, [id])).get(id)
  if (!opts.members) return householdRowToHousehold(row, undefined, tags)
  const members = await db
    .selectFrom('household_members')
    .selectAll()
    .where('household_id', '=', id)
    .orderBy('added_at')
    .execute()
  return householdRowToHousehold(row, members, tags)
}

/**
 * How well a household matches a search text, best first: 0 the exact number, 1 the exact head's name, 2 a word
 * of its search key starting with the text (initials 'xh' for 许红, a name '李' for 李国), 3 anywhere inside.
 */
function searchRank(text: string) {
  const lower = text.toLowerCase()
  const prefix = `${lower.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
  return sql<number>`(case
    when households.household_no = ${text} then 0
    when households.head_name = ${text} then 1
    when households.search_key like ${prefix} escape '\\' or households.search_key like ${`% ${prefix}`} escape '\\' then 2
    else 3 end)`
}

/**
 * Households of a village by number, a page at a time. With a search text, the best matches come first
 * (searchRank) and then by number; the cursor then carries the rank too.
 */
export async function listHouseholds(
  db: DB,
  actor: ActingUser,
  villageId: string,
  opts: { q?: string; tag?: HouseholdTag; limit: number; cursor?: string },
): Promise<Page<Household>> {
  assertVillage(actor, villageId)
  const after = opts.cursor ? Buffer.from(opts.cursor, 'base64url').toString('utf8') : undefined
  let q = selectHouseholds(db)
    .where('households.village_id', '=', villageId)
    .limit(opts.limit + 1)
  const tag = opts.tag
  if (tag) {
    // Only the households of one category (issue 18): 低保 households for a visit, 五保 for relief.
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('household_tags')
          .select('household_tags.tag')
          .whereRef('household_tags.household_id', '=', 'households.id')
          .where('household_tags.tag', '=', tag),
      ),
    )
  }
  if (opts.q) {
    const rank = searchRank(opts.q)
    q = q
      .select(rank.as('search_rank'))
      .where(sql<boolean>`households.search_key like ${containsPattern(opts.q)} escape '\\'`)
      .orderBy(rank)
      .orderBy('households.household_no')
    if (after !== undefined) {
      const cut = after.indexOf('|')
      const r = Number(after.slice(0, cut))
      const no = after.slice(cut + 1)
      q = q.where(sql<boolean>`(${rank} > ${r} or (${rank} = ${r} and households.household_no > ${no}))`)
    }
  } else {
    q = q.orderBy('households.household_no')
    if (after !== undefined) q = q.where('households.household_no', '>', after)
  }
  const rows = await q.execute()
  const page = rows.slice(0, opts.limit)
  const last = page[page.length - 1] as ((typeof page)[number] & { search_rank?: number }) | undefined
  const cursorOf = (r: NonNullable<typeof last>) =>
    opts.q ? `${Number(r.search_rank)}|${r.household_no}` : r.household_no
  const tags = await tagsOf(
    db,
    villageId,
    page.map((r) => r.id),
  )
  const items = page.map((r) => householdRowToHousehold(r, undefined, tags.get(r.id)))
  if (opts.q) await nameMatchedMembers(db, villageId, items, opts.q)
  return {
    items,
    nextCursor: rows.length > opts.limit && last ? Buffer.from(cursorOf(last), 'utf8').toString('base64url') : null,
  }
}

/**
 * A household found through a member, not its number or head: name that member (issue 17), so the cashier
 * sees why 许红's search shows 0031 许国福's household.
 */
async function nameMatchedMembers(db: DB, villageId: string, items: Household[], q: string) {
  const text = q.toLowerCase()
  const viaMember = items.filter((h) => !searchKey(h.householdNo, [h.headName]).includes(text))
  if (viaMember.length === 0) return
  const members = await db
    .selectFrom('household_members')
    .select(['household_id', 'name'])
    .where('village_id', '=', villageId)
    .where(
      'household_id',
      'in',
      viaMember.map((h) => h.id),
    )
    .where('removed_at', 'is', null)
    .orderBy('added_at')
    .execute()
  for (const h of viaMember) {
    const m = members.find((m) => m.household_id === h.id && searchKey('', [m.name]).includes(text))
    if (m) h.matchedMember = m.name
  }
}

async function refreshSearchKey(trx: DB, householdId: string) {
  const h = await trx
    .selectFrom('households')
    .select(['household_no', 'head_name'])
    .where('id', '=', householdId)
    .executeTakeFirstOrThrow()
  const members = await trx
    .selectFrom('household_members')
    .select('name')
    .where('household_id', '=', householdId)
    .where('removed_at', 'is', null)
    .execute()
  await trx
    .updateTable('households')
    .set({ search_key: searchKey(h.household_no, [h.head_name, ...members.map((m) => m.name)]), updated_at: nowIso() })
    .where('id', '=', householdId)
    .execute()
}

export async function updateHousehold(
  db: DB,
  actor: ActingUser,
  id: string,
  input: UpdateHouseholdInput,
): Promise<Household> {
  const villageId = await scopedVillage(db, actor, 'households', id)
  const changes = patchOf('households', input, {
    householdNo: 'household_no',
    headName: 'head_name',
    phone: 'phone',
    address: 'address',
  })
  if (input.pin !== undefined) {
    changes.pin_hash = input.pin === null ? null : await hashSecret(input.pin)
    changes.pin_failures = 0
    changes.pin_locked_until = null
  }
  try {
    await withTransaction(db, async (trx) => {
      await lockVillageOf(trx, 'households', id)
      // The audit row says what changed, before → after (a PIN only as set / removed: never its hash).
      const before = await trx
        .selectFrom('households')
        .select(['household_no', 'head_name', 'phone', 'address', 'pin_hash'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      const shown = changedFields(
        { ...before, pin_hash: before.pin_hash !== null } as Record<string, unknown>,
        { ...changes, ...('pin_hash' in changes ? { pin_hash: changes.pin_hash !== null } : {}) } as Record<
          string,
          unknown
        >,
      )
      delete shown.pin_failures
      delete shown.pin_locked_until
      noteAudit({ householdId: id, changes: shown })
      if (Object.keys(changes).length) await trx.updateTable('households').set(changes).where('id', '=', id).execute()
      if (input.tags) await writeTags(trx, villageId, id, input.tags, actor)
      await refreshSearchKey(trx, id)
    })
  } catch (err) {
    rethrowUnique(err, () => duplicate(`household number ${input.householdNo} already exists in this village`))
  }
  return getHousehold(db, actor, id)
}

/** Members are never deleted: removing one stamps removed_at, so old awards can still name them. */
export async function addMember(
  db: DB,
  actor: ActingUser,
  householdId: string,
  input: MemberInput,
): Promise<Household> {
  const villageId = await scopedVillage(db, actor, 'households', householdId)
  await withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    await trx
      .insertInto('household_members')
      .values(memberRows(villageId, householdId, [input]))
      .execute()
    await refreshSearchKey(trx, householdId)
  })
  return getHousehold(db, actor, householdId)
}

export async function removeMember(
  db: DB,
  actor: ActingUser,
  householdId: string,
  memberId: string,
): Promise<Household> {
  await scopedVillage(db, actor, 'households', householdId)
  await withTransaction(db, async (trx) => {
    await lockVillageOf(trx, 'households', householdId)
    const res = await trx
      .updateTable('household_members')
      .set({ removed_at: nowIso() })
      .where('id', '=', memberId)
      .where('household_id', '=', householdId)
      .where('removed_at', 'is', null)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) throw notFound('member')
    await refreshSearchKey(trx, householdId)
  })
  return getHousehold(db, actor, householdId)
}

/** Marks a member 党员 or not (issue 18), and answers the household. */
export async function updateMember(
  db: DB,
  actor: ActingUser,
  householdId: string,
  memberId: string,
  input: MemberPatchInput,
): Promise<Household> {
  await setPartyMember(db, actor, householdId, memberId, input)
  return getHousehold(db, actor, householdId)
}

/** Suspends redemption rights until a date, with a reason (an approver's decision after a serious violation). */
export async function setSuspension(
  db: DB,
  actor: ActingUser,
  householdId: string,
  until: string | null,
  reason: string | null,
): Promise<Household> {
  await scopedVillage(db, actor, 'households', householdId)
  await db
    .updateTable('households')
    .set({ suspended_until: until, suspended_reason: until ? reason : null, updated_at: nowIso() })
    .where('id', '=', householdId)
    .execute()
  return getHousehold(db, actor, householdId)
}

export { householdAccount }
