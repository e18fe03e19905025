import type { DB } from '../../db/database.js'
import { lockVillage, lockVillageOf, withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { AwardStatus, Row } from '../../db/schema.js'
import type { Page } from '../../shared/schemas/common.js'
import type { ApproveAwardInput, ProposeAwardInput } from '../../shared/schemas/awards.js'
import { localDate } from '../../shared/time.js'
import type { Award } from '../../shared/types/awards.js'
import { DomainError, invalidState, notFound } from '../core/errors.js'
import { type ActingUser, assertVillage } from '../core/actor.js'
import { getRule, ruleOfVillage } from '../rules/rules.service.js'
import { pointsBudgetWarning } from '../supermarket/supermarket.service.js'
import { getVillage } from '../villages/villages.service.js'
import { postAward } from './posting.js'
import { assertWithinRuleLimit, limitProblemText, overRuleLimit } from './rule-limits.js'

export type { Award }

export function awardRowToAward(r: Row<'awards'>): Award {
  return {
    id: r.id,
    villageId: r.village_id,
    ruleId: r.rule_id,
    occurredOn: r.occurred_on,
    note: r.note,
    status: r.status,
    householdCount: r.household_count,
    proposedBy: r.proposed_by,
    proposedAt: r.proposed_at,
    noticeUntil: r.notice_until,
    decidedAt: r.decided_at,
    reason: r.reason,
    postedAt: r.posted_at,
  }
}

const DAY_MS = 24 * 60 * 60 * 1000

async function assertHouseholdsOfVillage(trx: DB, villageId: string, ids: string[]) {
  const found = new Set<string>()
  for (let i = 0; i < ids.length; i += 400) {
    const rows = await trx
      .selectFrom('households')
      .select('id')
      .where('village_id', '=', villageId)
      .where('id', 'in', ids.slice(i, i + 400))
      .execute()
    for (const r of rows) found.add(r.id)
  }
  const unknown = ids.filter((id) => !found.has(id))
  if (unknown.length) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${unknown.length} household(s) are not households of this village`,
      unknown.slice(0, 100).map((id) => ({ field: 'householdIds', message: `unknown household ${id}` })),
    )
  }
}

/** A clerk proposes applying one rule to one or many households for a deed on a date. Nothing posts yet. */
export async function proposeAward(
  db: DB,
  actor: ActingUser,
  villageId: string,
  input: ProposeAwardInput,
): Promise<Award> {
  const village = await getVillage(db, actor, villageId)
  if (input.occurredOn > localDate(new Date(), village.timezone)) {
    throw new DomainError('VALIDATION_FAILED', 'the deed date is in the future', [
      { field: 'occurredOn', message: 'not in the future' },
    ])
  }
  const householdIds = [...new Set(input.householdIds)]
  return withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const rule = await ruleOfVillage(trx, actor, villageId, input.ruleId)
    if (!rule)
      throw new DomainError('VALIDATION_FAILED', 'unknown rule', [
        { field: 'ruleId', message: 'not a rule of this village' },
      ])
    if (!rule.active)
      throw new DomainError('VALIDATION_FAILED', 'the rule is no longer active', [
        { field: 'ruleId', message: 'inactive rule' },
      ])
    await assertHouseholdsOfVillage(trx, villageId, householdIds)
    if (input.memberId) {
      const member =
        householdIds.length === 1 &&
        (await trx
          .selectFrom('household_members')
          .select('id')
          .where('id', '=', input.memberId)
          .where('household_id', '=', householdIds[0]!)
          .executeTakeFirst())
      if (!member)
        throw new DomainError('VALIDATION_FAILED', 'unknown member', [
          { field: 'memberId', message: 'not a member of the one household named' },
        ])
    }
    const id = newId()
    await assertWithinRuleLimit(trx, rule, householdIds, input.occurredOn, { pendingExcept: id })
    const row: Row<'awards'> = {
      id,
      village_id: villageId,
      rule_id: rule.id,
      occurred_on: input.occurredOn,
      note: input.note ?? null,
      status: 'pending',
      household_count: householdIds.length,
      proposed_by: actor.id,
      proposed_at: nowIso(),
      notice_until: null,
      decided_at: null,
      reason: null,
      posted_at: null,
    }
    await trx.insertInto('awards').values(row).execute()
    for (let i = 0; i < householdIds.length; i += 400) {
      await trx
        .insertInto('award_households')
        .values(
          householdIds.slice(i, i + 400).map((household_id) => ({
            village_id: villageId,
            award_id: row.id,
            household_id,
            member_id: input.memberId ?? null,
          })),
        )
        .execute()
    }
    return awardRowToAward(row)
  })
}

/** The award's row, once the actor may act in its village. */
async function loadAward(trx: DB, actor: ActingUser, id: string): Promise<Row<'awards'>> {
  const row = await trx.selectFrom('awards').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('award')
  assertVillage(actor, row.village_id)
  return row
}

/**
 * An approver who is not the proposer approves. With enough distinct approvals the award either posts at
 * once (noticeDays 0) or goes on the public notice board until noticeUntil.
 */
export async function approveAward(db: DB, actor: ActingUser, id: string, input: ApproveAwardInput = {}) {
  const result = await approveInTransaction(db, actor, id, input.excludeHouseholdIds ?? [])
  // 积分总额控制: tell the approver when the village owes more points than the shelves can honour.
  return { ...result, budgetWarning: await pointsBudgetWarning(db, actor, result.villageId) }
}

/**
 * The approver's decision on a limit problem (issue 17): the households named are left out of the award with
 * the reason, so the others post. Only households that really are over the limit now may be left out: an
 * approver cannot quietly drop a household the rule still allows.
 */
async function excludeOverLimit(trx: DB, actor: ActingUser, award: Row<'awards'>, householdIds: string[]) {
  if (householdIds.length === 0) return
  const rule = await getRule(trx, actor, award.rule_id)
  const over = new Map(
    (await overRuleLimit(trx, rule, [...new Set(householdIds)], award.occurred_on)).map((p) => [p.householdId, p]),
  )
  const allowed = householdIds.filter((h) => !over.has(h))
  if (allowed.length) {
    throw new DomainError(
      'VALIDATION_FAILED',
      '只能不计入超过次数上限的农户 (only households over the rule limit can be left out)',
      allowed
        .slice(0, 100)
        .map((h) => ({ field: 'excludeHouseholdIds', message: `household ${h} is within the limit` })),
    )
  }
  const at = nowIso()
  for (const p of over.values()) {
    const res = await trx
      .updateTable('award_households')
      .set({ excluded_reason: `超过次数上限，不计入：${limitProblemText(p)}`, excluded_by: actor.id, excluded_at: at })
      .where('award_id', '=', award.id)
      .where('village_id', '=', award.village_id)
      .where('household_id', '=', p.householdId)
      .where('excluded_reason', 'is', null)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0)
      throw new DomainError('VALIDATION_FAILED', 'not a household of this award', [
        { field: 'excludeHouseholdIds', message: p.householdId },
      ])
  }
  const left = await trx
    .selectFrom('award_households')
    .select('household_id')
    .where('award_id', '=', award.id)
    .where('village_id', '=', award.village_id)
    .where('excluded_reason', 'is', null)
    .limit(1)
    .execute()
  if (left.length === 0)
    throw invalidState('每户都超过了次数上限，请驳回 (every household is over the limit: reject the award)')
}

function approveInTransaction(db: DB, actor: ActingUser, id: string, exclude: string[]) {
  return withTransaction(db, async (trx) => {
    await lockVillageOf(trx, 'awards', id)
    const award = await loadAward(trx, actor, id)
    if (award.status !== 'pending') throw invalidState(`the award is ${award.status}, not pending`)
    if (award.proposed_by === actor.id)
      throw new DomainError('SELF_APPROVAL', 'the proposer cannot approve their own award')
    const already = await trx.selectFrom('award_approvals').select('user_id').where('award_id', '=', id).execute()
    if (already.some((a) => a.user_id === actor.id)) throw invalidState('you have already approved this award')
    await trx
      .insertInto('award_approvals')
      .values({ village_id: award.village_id, award_id: id, user_id: actor.id, at: nowIso() })
      .execute()
    // Recorded with the approval that decided it, even when more approvals are still needed before posting.
    await excludeOverLimit(trx, actor, award, exclude)
    const village = await getVillage(trx, actor, award.village_id)
    const approvals = already.length + 1
    if (approvals < village.requiredApprovals) {
      return { ...awardRowToAward(award), approvals, requiredApprovals: village.requiredApprovals }
    }
    // An award sent back from the notice board (a limit reached meanwhile, postDueAwards) has served its notice.
    if (village.noticeDays === 0 || award.notice_until !== null) {
      await postAward(trx, actor, award)
    } else {
      const noticeUntil = new Date(Date.now() + village.noticeDays * DAY_MS).toISOString()
      await trx
        .updateTable('awards')
        .set({ status: 'publicized', notice_until: noticeUntil, decided_at: nowIso() })
        .where('id', '=', id)
        .execute()
    }
    return {
      ...awardRowToAward(await loadAward(trx, actor, id)),
      approvals,
      requiredApprovals: village.requiredApprovals,
    }
  })
}

async function closeAward(db: DB, actor: ActingUser, id: string, from: AwardStatus, to: AwardStatus, reason: string) {
  return withTransaction(db, async (trx) => {
    await lockVillageOf(trx, 'awards', id)
    const award = await loadAward(trx, actor, id)
    if (award.status !== from) throw invalidState(`the award is ${award.status}, not ${from}`)
    await trx.updateTable('awards').set({ status: to, reason, decided_at: nowIso() }).where('id', '=', id).execute()
    return awardRowToAward(await loadAward(trx, actor, id))
  })
}

export const rejectAward = (db: DB, actor: ActingUser, id: string, reason: string) =>
  closeAward(db, actor, id, 'pending', 'rejected', reason)

/** An approver takes an award off the notice board (an objection was upheld): it never posts. */
export const withdrawAward = (db: DB, actor: ActingUser, id: string, reason: string) =>
  closeAward(db, actor, id, 'publicized', 'withdrawn', reason)

/**
 * Anyone of the village may object while an award is proposed or on notice; the objection is kept with it. The
 * objector is a staff member, or a household objecting from its own phone (core/actor.ts villagerActor: its id).
 */
export async function recordObjection(db: DB, actor: ActingUser, id: string, text: string) {
  return withTransaction(db, async (trx) => {
    await lockVillageOf(trx, 'awards', id)
    const award = await loadAward(trx, actor, id)
    if (award.status !== 'pending' && award.status !== 'publicized')
      throw invalidState(`the award is ${award.status}: objections are closed`)
    const row = { id: newId(), village_id: award.village_id, award_id: id, text, raised_by: actor.id, at: nowIso() }
    await trx.insertInto('award_objections').values(row).execute()
    return { id: row.id, awardId: id, text, raisedBy: actor.username, at: row.at }
  })
}

/** The award with its rule, households, approvals, objections and evidence. */
export async function getAwardDetail(db: DB, actor: ActingUser, id: string) {
  const award = awardRowToAward(await loadAward(db, actor, id))
  const rule = await getRule(db, actor, award.ruleId)
  const households = await db
    .selectFrom('award_households as ah')
    .innerJoin('households as h', 'h.id', 'ah.household_id')
    .leftJoin('household_members as m', 'm.id', 'ah.member_id')
    .select([
      'h.id',
      'h.household_no as householdNo',
      'h.head_name as headName',
      'ah.member_id as memberId',
      'm.name as memberName',
      'ah.excluded_reason as excludedReason',
    ])
    .where('ah.award_id', '=', id)
    .orderBy('h.household_no')
    .execute()
  const approvals = await db
    .selectFrom('award_approvals as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.user_id as userId', 'u.username', 'a.at'])
    .where('a.award_id', '=', id)
    .orderBy('a.at')
    .execute()
  const objections = (
    await db
      .selectFrom('award_objections as o')
      .leftJoin('users as u', 'u.id', 'o.raised_by')
      .leftJoin('households as oh', 'oh.id', 'o.raised_by')
      .select(['o.id', 'o.text', 'u.username', 'oh.household_no', 'oh.head_name', 'o.at'])
      .where('o.award_id', '=', id)
      .orderBy('o.at')
      .execute()
  ).map((o) => ({
    id: o.id,
    text: o.text,
    raisedBy: o.username ?? (o.household_no ? `${o.household_no} ${o.head_name}` : null),
    at: o.at,
  }))
  const evidence = await db
    .selectFrom('award_evidence')
    .select(['id', 'mime', 'at'])
    .where('award_id', '=', id)
    .orderBy('at')
    .execute()
  const proposer = await db.selectFrom('users').select('username').where('id', '=', award.proposedBy).executeTakeFirst()
  const village = await getVillage(db, actor, award.villageId)
  // What the limit would say if the award posted now (pending awards only): the approver sees it before deciding.
  const limitProblems =
    award.status === 'pending'
      ? await overRuleLimit(
          db,
          rule,
          households.filter((h) => !h.excludedReason).map((h) => h.id),
          award.occurredOn,
        )
      : []
  return {
    ...award,
    proposedByName: proposer?.username ?? null,
    rule,
    households,
    approvals,
    requiredApprovals: village.requiredApprovals,
    objections,
    evidence,
    limitProblems,
  }
}

export async function listAwards(
  db: DB,
  actor: ActingUser,
  villageId: string,
  opts: { status?: AwardStatus; limit: number; cursor?: string },
): Promise<Page<unknown>> {
  assertVillage(actor, villageId)
  let q = db
    .selectFrom('awards as a')
    .innerJoin('rules as r', 'r.id', 'a.rule_id')
    .selectAll('a')
    .select(['r.code as rule_code', 'r.name as rule_name', 'r.points as rule_points', 'r.category as rule_category'])
    .where('a.village_id', '=', villageId)
    .orderBy('a.id', 'desc')
    .limit(opts.limit + 1)
  if (opts.status) q = q.where('a.status', '=', opts.status)
  if (opts.cursor) q = q.where('a.id', '<', opts.cursor)
  const rows = await q.execute()
  const page = rows.slice(0, opts.limit)
  return {
    items: page.map((r) => ({
      ...awardRowToAward(r),
      rule: { code: r.rule_code, name: r.rule_name, points: r.rule_points, category: r.rule_category },
    })),
    nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null,
  }
}

/** What hangs on the notice board now: awards on public notice, with their households and objections. */
export async function listNotices(db: DB, actor: ActingUser, villageId: string) {
  assertVillage(actor, villageId)
  const awards = await db
    .selectFrom('awards')
    .select('id')
    .where('village_id', '=', villageId)
    .where('status', '=', 'publicized')
    .orderBy('notice_until')
    .execute()
  return { items: await Promise.all(awards.map((a) => getAwardDetail(db, actor, a.id))), nextCursor: null }
}
