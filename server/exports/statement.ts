import type { Checkpoint } from '../ledger/checkpoint.js'
import type { DB } from '../../db/database.js'
import type { EntryKind } from '../../db/schema.js'
import type { StatementRow, StatementTotals } from '../../shared/schemas/exports.js'
import type { Village } from '../villages/villages.service.js'
import { type LedgerCut, ledgerCut, monthPeriod, type Period, tallyPages } from './ledger-cut.js'

/*
 * The monthly statement: one line per household, opening + earned − deducted − redeemed + adjusted = closing.
 *
 * A period is cut out of the village's hash chain by posting time: its entries are those after the last entry
 * posted before the period starts (startSeq) up to the last entry posted before it ends (headSeq). So every
 * month opens where the previous one closed, the current month closes at the live balance, and an export
 * that runs while the counter keeps working reads one fixed run of the chain (entries are append-only).
 */

/** One household's running figures while its entries are read in chain order. */
export interface Tally {
  opening: number
  earned: number
  deducted: number
  redeemed: number
  adjusted: number
  /** balance_after of the last entry read: the ledger's own word for the balance. */
  balance: number
  awards: number
}

export const openTally = (opening: number): Tally => ({
  opening,
  earned: 0,
  deducted: 0,
  redeemed: 0,
  adjusted: 0,
  balance: opening,
  awards: 0,
})

/** A mismatch here means the ledger or this code is wrong: never print a statement that does not add up. */
export class ReconciliationError extends Error {
  override name = 'ReconciliationError'
}

export function postToTally(
  t: Tally,
  e: { seq: number; kind: EntryKind; amount: number; balance_after: number },
  who: string,
) {
  if (t.balance + e.amount !== e.balance_after) {
    throw new ReconciliationError(
      `household ${who}: entry #${e.seq} says balance ${e.balance_after}, expected ${t.balance} + ${e.amount}`,
    )
  }
  t.balance = e.balance_after
  switch (e.kind) {
    case 'award':
    case 'deduction':
      // The kind names the rule's direction; the sign decides the column, so no point can fall between columns.
      if (e.amount > 0) t.earned += e.amount
      else t.deducted -= e.amount
      if (e.kind === 'award' && e.amount > 0) t.awards++
      break
    case 'redemption':
      t.redeemed -= e.amount
      break
    default: // reversal, adjustment, expiry: corrections and clearing, signed
      t.adjusted += e.amount
  }
}

export function closeTally(t: Tally, who: string): StatementTotals {
  const closing = t.opening + t.earned - t.deducted - t.redeemed + t.adjusted
  if (closing !== t.balance)
    throw new ReconciliationError(`household ${who}: figures close at ${closing}, ledger at ${t.balance}`)
  return {
    opening: t.opening,
    earned: t.earned,
    deducted: t.deducted,
    redeemed: t.redeemed,
    adjusted: t.adjusted,
    closing,
  }
}

export const zeroTotals = (): StatementTotals => ({
  opening: 0,
  earned: 0,
  deducted: 0,
  redeemed: 0,
  adjusted: 0,
  closing: 0,
})

export function addTotals(sum: StatementTotals, row: StatementTotals) {
  sum.opening += row.opening
  sum.earned += row.earned
  sum.deducted += row.deducted
  sum.redeemed += row.redeemed
  sum.adjusted += row.adjusted
  sum.closing += row.closing
}

export interface Statement {
  village: Pick<Village, 'id' | 'code' | 'name' | 'timezone'>
  period: Period
  cut: LedgerCut
  households: StatementRow[]
  totals: StatementTotals
  /** Households with at least one award in the period. */
  participating: number
  /** The signed checkpoint of the period's end (ledger/checkpoint.ts), when the export carries one. */
  checkpoint?: Checkpoint
}

/**
 * The households of the statement with their opening balances: every household that existed by the period's
 * end (or has entries by then), in household-number order. One indexed lookup per household, in one query.
 */
async function householdsWithOpening(db: DB, villageId: string, period: Period, cut: LedgerCut) {
  return db
    .selectFrom('households as h')
    .select(['h.id', 'h.household_no', 'h.head_name'])
    .select((eb) =>
      eb
        .selectFrom('ledger_entries as e')
        .select('e.balance_after')
        .whereRef('e.household_id', '=', 'h.id')
        .where('e.village_id', '=', villageId)
        .where('e.seq', '<=', cut.startSeq)
        .orderBy('e.seq', 'desc')
        .limit(1)
        .as('opening'),
    )
    .where('h.village_id', '=', villageId)
    .where((eb) =>
      eb.or([
        eb('h.created_at', '<', period.end),
        eb.exists(
          eb
            .selectFrom('ledger_entries as x')
            .select('x.id')
            .whereRef('x.household_id', '=', 'h.id')
            .where('x.village_id', '=', villageId)
            .where('x.seq', '<=', cut.headSeq),
        ),
      ]),
    )
    .orderBy('h.household_no')
    .execute()
}

/**
 * Reads the period's entries a page at a time and tallies them per household, so memory grows with the
 * number of households, never with the number of entries; then checks every household reconciles.
 */
export async function buildStatement(db: DB, village: Statement['village'], period: Period): Promise<Statement> {
  const cut = await ledgerCut(db, village.id, period)
  const rows = await householdsWithOpening(db, village.id, period, cut)
  const tallies = new Map<string, Tally>()
  for (const r of rows) tallies.set(r.id, openTally(r.opening ?? 0))
  for await (const page of tallyPages(db, village.id, cut)) {
    for (const e of page) {
      if (e.household_id === null) continue // a village-only entry moves no household's points
      const t = tallies.get(e.household_id)
      if (!t)
        throw new ReconciliationError(
          `entry #${e.seq} names household ${e.household_id}, which is not in the statement`,
        )
      postToTally(t, e, e.household_id)
    }
  }
  const totals = zeroTotals()
  let participating = 0
  const households: StatementRow[] = rows.map((r) => {
    const t = tallies.get(r.id)!
    if (t.awards > 0) participating++
    const figures = closeTally(t, r.household_no)
    addTotals(totals, figures)
    return { householdId: r.id, householdNo: r.household_no, headName: r.head_name, ...figures }
  })
  return {
    village: { id: village.id, code: village.code, name: village.name, timezone: village.timezone },
    period,
    cut,
    households,
    totals,
    participating,
  }
}

export const monthlyStatement = (db: DB, village: Statement['village'], month: string) =>
  buildStatement(db, village, monthPeriod(month, village.timezone))
