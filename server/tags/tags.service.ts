import type { DB } from '../../db/database.js'
import { lockVillage, withTransaction } from '../../db/database.js'
import { nowIso } from '../../db/ids.js'
import { HOUSEHOLD_TAGS, type HouseholdTag, type MemberPatchInput } from '../../shared/schemas/tags.js'
import type { TagCounts } from '../../shared/types/households.js'
import { type ActingUser, actorIdOf, assertVillage } from '../core/actor.js'
import { notFound } from '../core/errors.js'
import { scopedVillage } from '../core/scope.js'

/*
 * Household categories (户类别, issue 18): which households are 低保, 五保, 留守老人 … and which members are 党员.
 * The roster (households/) sets and reads them through the primitives here; relief (relief/) gives to all
 * households of a category; the dashboard counts them. A category is a fact about a household now, not a
 * ledger: changing the set replaces rows (who set each category, and when, is kept on the row).
 */

const ORDER = new Map<string, number>(HOUSEHOLD_TAGS.map((t, i) => [t, i]))
const inCatalogueOrder = (tags: string[]) => [...tags].sort((a, b) => (ORDER.get(a) ?? 99) - (ORDER.get(b) ?? 99))

/** The categories of each household given (none: an empty list), inside the caller's check of the village. */
export async function tagsOf(db: DB, villageId: string, householdIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(householdIds.map((id) => [id, []]))
  for (let i = 0; i < householdIds.length; i += 500) {
    const rows = await db
      .selectFrom('household_tags')
      .select(['household_id', 'tag'])
      .where('village_id', '=', villageId)
      .where('household_id', 'in', householdIds.slice(i, i + 500))
      .execute()
    for (const r of rows) out.get(r.household_id)?.push(r.tag)
  }
  for (const [id, tags] of out) out.set(id, inCatalogueOrder(tags))
  return out
}

/** Replaces a household's categories inside the caller's transaction; categories kept keep their first date. */
export async function writeTags(
  trx: DB,
  villageId: string,
  householdId: string,
  tags: readonly HouseholdTag[],
  actor: ActingUser,
) {
  const have = (await tagsOf(trx, villageId, [householdId])).get(householdId) ?? []
  const gone = have.filter((t) => !tags.includes(t as HouseholdTag))
  const added = tags.filter((t) => !have.includes(t))
  if (gone.length) {
    await trx
      .deleteFrom('household_tags')
      .where('village_id', '=', villageId)
      .where('household_id', '=', householdId)
      .where('tag', 'in', gone)
      .execute()
  }
  if (added.length) {
    const at = nowIso()
    await trx
      .insertInto('household_tags')
      .values(
        added.map((tag) => ({
          village_id: villageId,
          household_id: householdId,
          tag,
          added_at: at,
          added_by: actorIdOf(actor),
        })),
      )
      .execute()
  }
}

/** Every household of the village in a category, by household number. */
export async function householdsWithTag(
  db: DB,
  villageId: string,
  tag: HouseholdTag,
): Promise<{ id: string; householdNo: string }[]> {
  const rows = await db
    .selectFrom('household_tags as t')
    .innerJoin('households as h', 'h.id', 't.household_id')
    .select(['h.id', 'h.household_no'])
    .where('t.village_id', '=', villageId)
    .where('t.tag', '=', tag)
    .orderBy('h.household_no')
    .execute()
  return rows.map((r) => ({ id: r.id, householdNo: r.household_no }))
}

/** The dashboard's figures: households per category (every category of the catalogue, zero too), and 党员. */
export async function tagCounts(db: DB, actor: ActingUser, villageId: string): Promise<TagCounts> {
  assertVillage(actor, villageId)
  const rows = await db
    .selectFrom('household_tags')
    .select(['tag', (eb) => eb.fn.countAll<number>().as('n')])
    .where('village_id', '=', villageId)
    .groupBy('tag')
    .execute()
  const counts = new Map(rows.map((r) => [r.tag, Number(r.n)]))
  const tagged = await db
    .selectFrom('household_tags')
    .select((eb) => eb.fn.count<number>('household_id').distinct().as('n'))
    .where('village_id', '=', villageId)
    .executeTakeFirstOrThrow()
  const party = await db
    .selectFrom('household_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('village_id', '=', villageId)
    .where('party_member', '=', 1)
    .where('removed_at', 'is', null)
    .executeTakeFirstOrThrow()
  return {
    items: HOUSEHOLD_TAGS.map((tag) => ({ tag, households: counts.get(tag) ?? 0 })),
    tagged: Number(tagged.n),
    partyMembers: Number(party.n),
  }
}

/** Marks a member 党员 or not. Returns nothing: the caller reads the household back. */
export async function setPartyMember(
  db: DB,
  actor: ActingUser,
  householdId: string,
  memberId: string,
  input: MemberPatchInput,
) {
  const villageId = await scopedVillage(db, actor, 'households', householdId)
  await withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const res = await trx
      .updateTable('household_members')
      .set({ party_member: input.partyMember ? 1 : 0 })
      .where('id', '=', memberId)
      .where('household_id', '=', householdId)
      .where('village_id', '=', villageId)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) throw notFound('member')
  })
}
