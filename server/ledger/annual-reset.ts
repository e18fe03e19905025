import type { DB } from '../../db/database.js'
import { lockVillage, withTransaction } from '../../db/database.js'
import { nowIso } from '../../db/ids.js'
import { addDays, localDate } from '../../shared/time.js'
import { actorIdOf, type ActingUser, assertVillage, SYSTEM_ACTOR } from '../core/actor.js'
import { appendEntries } from './ledger.service.js'

/**
 * 积分每年清零: on the village's reset date every positive spendable balance moves to the expired account
 * with an 'expiry' entry; honour stays. Once per village per year: the expiry_runs row is inserted in the
 * same transaction and its primary key refuses a second run, even after a restart on the same day.
 */
export async function runAnnualReset(
  db: DB,
  actor: ActingUser,
  villageId: string,
  year: number,
): Promise<{ ran: boolean; households: number; points: number }> {
  assertVillage(actor, villageId)
  return withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const done = await trx
      .selectFrom('expiry_runs')
      .select('year')
      .where('village_id', '=', villageId)
      .where('year', '=', year)
      .executeTakeFirst()
    if (done) return { ran: false, households: 0, points: 0 }
    const balances = await trx
      .selectFrom('accounts')
      .select(['household_id', 'balance'])
      .where('village_id', '=', villageId)
      .where('kind', '=', 'household')
      .where('balance', '>', 0)
      .execute()
    await appendEntries(
      trx,
      villageId,
      actorIdOf(actor),
      balances.map((b) => ({
        kind: 'expiry' as const,
        householdId: b.household_id!,
        amount: -b.balance,
        counter: 'expired' as const,
        memo: `${year}年度积分清零`,
      })),
    )
    const points = balances.reduce((s, b) => s + b.balance, 0)
    await trx
      .insertInto('expiry_runs')
      .values({ village_id: villageId, year, at: nowIso(), households: balances.length, points })
      .execute()
    return { ran: true, households: balances.length, points }
  })
}

/**
 * Scheduler job, as SYSTEM_ACTOR: runs each village's reset once its date has come this year (in the village's time zone).
 * Only within a week of the date, so switching the setting on in November does not wipe that year's points.
 */
export async function runDueAnnualResets(db: DB, now = new Date()) {
  const villages = await db
    .selectFrom('villages')
    .select(['id', 'timezone', 'annual_reset'])
    .where('annual_reset', 'is not', null)
    .execute()
  for (const v of villages) {
    const today = localDate(now, v.timezone)
    const year = Number(today.slice(0, 4))
    const resetDay = `${year}-${v.annual_reset}`
    if (today >= resetDay && today <= addDays(resetDay, 7)) await runAnnualReset(db, SYSTEM_ACTOR, v.id, year)
  }
}
