import type { DB } from '../../db/database.js'
import type { MeAccount, MeLedger, MeNotice, MeProduct, MeRule } from '../../shared/types/villager.js'
import { recordObjection } from '../awards/awards.service.js'
import { awardsOnNotice } from '../exports/board.js'
import { maskName } from '../exports/html.js'
import { type VillagerPrincipal as Villager, villagerActor } from '../core/actor.js'
import { notFound } from '../core/errors.js'
import { householdLedger } from '../ledger/ledger-read.js'
import { getVillage } from '../villages/villages.service.js'

/*
 * What a household reads of itself on its own phone. Every function takes the Villager that the token proved
 * and reads that household (and its village's public things) only: no id from the request ever names another.
 */

async function householdOf(db: DB, v: Villager) {
  const h = await db
    .selectFrom('households as h')
    .innerJoin('accounts as a', 'a.id', 'h.id')
    .select(['h.id', 'h.household_no', 'h.head_name', 'h.honour', 'a.balance'])
    .where('h.id', '=', v.householdId)
    .where('h.village_id', '=', v.villageId)
    .executeTakeFirst()
  if (!h) throw notFound('household')
  return h
}

/**
 * Balance, honour and the household's place in the village. The place is by honour — lifetime points earned
 * minus deducted, never spent down — so a household that shops at the supermarket does not fall behind one that
 * hoards; it is also the order of the board's 红榜. Equal honour shares a place (1, 2, 2, 4).
 */
export async function myAccount(db: DB, v: Villager): Promise<MeAccount> {
  const h = await householdOf(db, v)
  const village = await getVillage(db, villagerActor(v), v.villageId)
  const members = await db
    .selectFrom('household_members')
    .select(['id', 'name'])
    .where('household_id', '=', v.householdId)
    .where('removed_at', 'is', null)
    .orderBy('added_at')
    .execute()
  const { ahead } = await db
    .selectFrom('households')
    .select((eb) => eb.fn.countAll<number>().as('ahead'))
    .where('village_id', '=', v.villageId)
    .where('honour', '>', h.honour)
    .executeTakeFirstOrThrow()
  const { of } = await db
    .selectFrom('households')
    .select((eb) => eb.fn.countAll<number>().as('of'))
    .where('village_id', '=', v.villageId)
    .executeTakeFirstOrThrow()
  return {
    household: { id: h.id, householdNo: h.household_no, headName: h.head_name, members },
    village: { name: village.name },
    balance: h.balance,
    honour: h.honour,
    rank: { position: Number(ahead) + 1, of: Number(of), by: 'honour' },
  }
}

/** The household ledger (the staff view's shape), each entry with its rule in words, the member, its photos. */
export async function myLedger(db: DB, v: Villager, month: string | undefined): Promise<MeLedger> {
  const ledger = await householdLedger(db, villagerActor(v), v.householdId, month)
  const ruleIds = [...new Set(ledger.entries.flatMap((e) => (e.ruleId ? [e.ruleId] : [])))]
  const awardIds = [...new Set(ledger.entries.flatMap((e) => (e.awardId ? [e.awardId] : [])))]
  const rules = ruleIds.length
    ? await db
        .selectFrom('rules')
        .select(['id', 'name'])
        .where('village_id', '=', v.villageId)
        .where('id', 'in', ruleIds)
        .execute()
    : []
  const members = awardIds.length
    ? await db
        .selectFrom('award_households as ah')
        .innerJoin('household_members as m', 'm.id', 'ah.member_id')
        .select(['ah.award_id', 'm.name'])
        .where('ah.household_id', '=', v.householdId)
        .where('ah.award_id', 'in', awardIds)
        .execute()
    : []
  const photos = awardIds.length
    ? await db
        .selectFrom('award_evidence')
        .select(['id', 'award_id'])
        .where('village_id', '=', v.villageId)
        .where('award_id', 'in', awardIds)
        .orderBy('at')
        .execute()
    : []
  const ruleName = new Map(rules.map((r) => [r.id, r.name]))
  const memberName = new Map(members.map((m) => [m.award_id, m.name]))
  return {
    month: ledger.month,
    openingBalance: ledger.openingBalance,
    closingBalance: ledger.closingBalance,
    entries: ledger.entries.map((e) => ({
      ...e,
      ruleName: (e.ruleId && ruleName.get(e.ruleId)) || null,
      memberName: (e.awardId && memberName.get(e.awardId)) || null,
      evidenceIds: e.awardId ? photos.filter((p) => p.award_id === e.awardId).map((p) => p.id) : [],
    })),
  }
}

/** A photo of an award of this household's own; any other photo is not found. */
export async function myEvidence(db: DB, v: Villager, evidenceId: string) {
  const row = await db
    .selectFrom('award_evidence as e')
    .innerJoin('award_households as ah', 'ah.award_id', 'e.award_id')
    .select(['e.mime', 'e.bytes'])
    .where('e.id', '=', evidenceId)
    .where('e.village_id', '=', v.villageId)
    .where('ah.household_id', '=', v.householdId)
    .executeTakeFirst()
  if (!row) throw notFound('photo')
  return row
}

/** The village's awards on public notice, as the board shows them: other households' names masked. */
export async function myNotices(db: DB, v: Villager): Promise<{ items: MeNotice[] }> {
  const h = await householdOf(db, v)
  const awards = await awardsOnNotice(db, v.villageId)
  const counts = awards.length
    ? await db
        .selectFrom('award_objections')
        .select(['award_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where(
          'award_id',
          'in',
          awards.map((a) => a.id),
        )
        .groupBy('award_id')
        .execute()
    : []
  const objections = new Map(counts.map((c) => [c.award_id, Number(c.n)]))
  const rules = awards.length
    ? await db
        .selectFrom('awards as a')
        .innerJoin('rules as r', 'r.id', 'a.rule_id')
        .select(['a.id', 'r.category'])
        .where(
          'a.id',
          'in',
          awards.map((a) => a.id),
        )
        .execute()
    : []
  const category = new Map(rules.map((r) => [r.id, r.category]))
  return {
    items: awards.map((a) => ({
      id: a.id,
      rule: { name: a.rule_name, points: a.points, category: category.get(a.id) ?? '' },
      occurredOn: a.occurred_on,
      note: a.note,
      noticeUntil: a.notice_until,
      households: a.households.map((x) => {
        const mine = x.household_no === h.household_no
        return { householdNo: x.household_no, headName: mine ? x.head_name : maskName(x.head_name), mine }
      }),
      objections: objections.get(a.id) ?? 0,
    })),
  }
}

/** An objection to an award on notice, raised under the household's own name (the staff's objection service). */
export async function objectAsHousehold(db: DB, v: Villager, awardId: string, text: string) {
  const award = await db.selectFrom('awards').select('village_id').where('id', '=', awardId).executeTakeFirst()
  if (!award || award.village_id !== v.villageId) throw notFound('award')
  const h = await householdOf(db, v)
  // The objector is the household: its id is kept as raised_by, and the award's page names it by number and head.
  return recordObjection(db, villagerActor(v, `${h.household_no} ${h.head_name}`), awardId, text)
}

/** What the love supermarket has now, and its price. */
export async function myShop(db: DB, v: Villager): Promise<{ items: MeProduct[] }> {
  const rows = await db
    .selectFrom('products')
    .select(['id', 'name', 'category', 'unit', 'points_price', 'stock'])
    .where('village_id', '=', v.villageId)
    .where('active', '=', 1)
    .where('stock', '>', 0)
    .orderBy('category')
    .orderBy('name')
    .execute()
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      category: r.category,
      unit: r.unit,
      pointsPrice: r.points_price,
      stock: r.stock,
    })),
  }
}

/** The village's rules that award points, for the 申报 form's picker. */
export async function myRules(db: DB, v: Villager): Promise<{ items: MeRule[] }> {
  const rows = await db
    .selectFrom('rules')
    .select(['id', 'name', 'category', 'points'])
    .where('village_id', '=', v.villageId)
    .where('active', '=', 1)
    .where('points', '>', 0)
    .orderBy('category')
    .orderBy('code')
    .execute()
  return { items: rows }
}
