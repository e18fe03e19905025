import type { DB } from '../../db/database.js'
import { lockVillageOf, withTransaction } from '../../db/database.js'
import { actorIdOf, type ActingUser, assertVillage } from '../core/actor.js'
import { DomainError, invalidState, notFound } from '../core/errors.js'
import { appendEntries, type SystemAccount, systemAccount } from './ledger.service.js'

const REVERSIBLE = new Set(['award', 'deduction', 'adjustment', 'expiry'])

/**
 * Corrects a mistaken entry the only way an append-only ledger allows: a new entry that mirrors it, with a
 * reason. Once per entry (the database enforces it too); a reversal is never itself reversed, and a
 * redemption is undone by voiding it at the supermarket, which also returns the goods.
 */
export async function reverseEntry(db: DB, actor: ActingUser, entryId: string, reason: string) {
  return withTransaction(db, async (trx) => {
    await lockVillageOf(trx, 'ledger_entries', entryId)
    const entry = await trx.selectFrom('ledger_entries').selectAll().where('id', '=', entryId).executeTakeFirst()
    if (!entry || !entry.household_id) throw notFound('ledger entry')
    assertVillage(actor, entry.village_id)
    const reversed = await trx
      .selectFrom('ledger_entries')
      .select('id')
      .where('reverses_id', '=', entryId)
      .executeTakeFirst()
    if (reversed) throw new DomainError('ALREADY_REVERSED', 'this entry has already been reversed')
    if (entry.kind === 'reversal') throw invalidState('a reversal cannot itself be reversed')
    if (!REVERSIBLE.has(entry.kind)) throw invalidState('a redemption is undone by voiding it at the supermarket')
    const counter = await trx
      .selectFrom('ledger_postings')
      .select('account_id')
      .where('entry_id', '=', entryId)
      .where('account_id', 'like', `${entry.village_id}:%`)
      .executeTakeFirstOrThrow()
    const counterKind = counter.account_id.slice(entry.village_id.length + 1) as SystemAccount
    if (systemAccount(entry.village_id, counterKind) !== counter.account_id)
      throw new Error('unexpected counter account')
    const affectsHonour = entry.kind === 'award' || entry.kind === 'deduction'
    const [appended] = await appendEntries(trx, entry.village_id, actorIdOf(actor), [
      {
        kind: 'reversal',
        householdId: entry.household_id,
        amount: -entry.amount,
        counter: counterKind,
        memo: `冲正 #${entry.seq}：${reason}`,
        reversesId: entry.id,
        ruleId: entry.rule_id,
        awardId: entry.award_id,
        occurredOn: entry.occurred_on,
        honourDelta: affectsHonour ? -entry.amount : 0,
      },
    ])
    return { ...appended!, kind: 'reversal', memo: `冲正 #${entry.seq}：${reason}`, reversesId: entry.id }
  })
}

// Manual adjustments are proposals that a second approver posts: ./adjustments.ts (issue 13).
