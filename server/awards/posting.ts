import type { DB } from '../../db/database.js'
import { lockVillageOf, withTransaction } from '../../db/database.js'
import { nowIso } from '../../db/ids.js'
import type { Row } from '../../db/schema.js'
import { actorIdOf, type ActingUser, assertVillage, SYSTEM_ACTOR } from '../core/actor.js'
import { DomainError } from '../core/errors.js'
import { appendEntries } from '../ledger/ledger.service.js'
import { getRule } from '../rules/rules.service.js'
import { assertWithinRuleLimit } from './rule-limits.js'

/**
 * Posts an award: one ledger entry per household, all in the caller's transaction, so all or nothing.
 * An award moves points from the village's issuance account; a deduction moves them to penalties.
 */
export async function postAward(trx: DB, actor: ActingUser, award: Row<'awards'>) {
  assertVillage(actor, award.village_id)
  const rule = await getRule(trx, actor, award.rule_id)
  const households = await trx
    .selectFrom('award_households as ah')
    .leftJoin('household_members as m', 'm.id', 'ah.member_id')
    .select(['ah.household_id', 'm.name as member_name'])
    .where('ah.award_id', '=', award.id)
    .where('ah.village_id', '=', award.village_id)
    .where('ah.excluded_reason', 'is', null) // left out by the approver over a rule limit
    .execute()
  const householdIds = households.map((h) => h.household_id)
  await assertWithinRuleLimit(trx, rule, householdIds, award.occurred_on)
  const deduction = rule.points < 0
  // The member who did the deed is named in the entry itself, so the ledger, the passbook and every export say who.
  const memoOf = (member: string | null) =>
    `${rule.code} ${rule.name}${member ? ` · ${member}` : ''}${award.note ? ` · ${award.note}` : ''}`
  await appendEntries(
    trx,
    award.village_id,
    actorIdOf(actor),
    households.map(({ household_id: householdId, member_name }) => ({
      kind: deduction ? ('deduction' as const) : ('award' as const),
      householdId,
      amount: rule.points,
      counter: deduction ? ('penalties' as const) : ('issuance' as const),
      memo: memoOf(member_name),
      occurredOn: award.occurred_on,
      ruleId: rule.id,
      awardId: award.id,
      honourDelta: rule.points,
    })),
  )
  await trx.updateTable('awards').set({ status: 'posted', posted_at: nowIso() }).where('id', '=', award.id).execute()
}

/**
 * Scheduler job, as SYSTEM_ACTOR: posts every award whose public notice has ended, each in its own transaction. Runs at start and every
 * minute, so an award whose moment passed while the server was down posts on the next start. An award that
 * can no longer post because a rule limit was reached meanwhile goes back to the approvers' queue with the
 * reason (issue 17): they decide to post the other households or reject it — the others never silently lose
 * their award. Its approvals are cleared (they approved what can no longer post as it stood; the audit log
 * keeps them); its notice is served, so the next approval posts at once. Other refusals reject it, with the reason.
 */
export async function postDueAwards(db: DB, now = new Date()) {
  const due = await db
    .selectFrom('awards')
    .select('id')
    .where('status', '=', 'publicized')
    .where('notice_until', '<=', now.toISOString())
    .execute()
  for (const { id } of due) {
    try {
      await withTransaction(db, async (trx) => {
        await lockVillageOf(trx, 'awards', id)
        const award = await trx
          .selectFrom('awards')
          .selectAll()
          .where('id', '=', id)
          .where('status', '=', 'publicized')
          .executeTakeFirst()
        if (award) await postAward(trx, SYSTEM_ACTOR, award)
      })
    } catch (err) {
      if (!(err instanceof DomainError)) throw err
      if (err.code === 'RULE_LIMIT_EXCEEDED') {
        await withTransaction(db, async (trx) => {
          await lockVillageOf(trx, 'awards', id)
          const back = await trx
            .updateTable('awards')
            .set({ status: 'pending', reason: err.message, decided_at: null })
            .where('id', '=', id)
            .where('status', '=', 'publicized')
            .executeTakeFirst()
          if (Number(back.numUpdatedRows) > 0)
            await trx.deleteFrom('award_approvals').where('award_id', '=', id).execute()
        })
        continue
      }
      await db
        .updateTable('awards')
        .set({ status: 'rejected', reason: `${err.code}: ${err.message}`, decided_at: nowIso() })
        .where('id', '=', id)
        .where('status', '=', 'publicized')
        .execute()
    }
  }
}
