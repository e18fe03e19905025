import type { DB } from '../../db/database.js'
import type { Row } from '../../db/schema.js'
import { monthRange, yearRange } from '../../shared/time.js'
import { GENESIS } from '../ledger/hash-chain.js'

/*
 * A period cut out of the village's hash chain by posting time, and its entries read a page at a time: what
 * the statement, the passbook, the board and the export files all read.
 */

/** [start, end) of a month or a year in the village's time zone, as UTC ISO strings. */
export interface Period {
  label: string
  start: string
  end: string
}

export const monthPeriod = (month: string, timezone: string): Period => ({
  label: month,
  ...monthRange(month, timezone),
})
export const yearPeriod = (year: number, timezone: string): Period => ({
  label: String(year),
  ...yearRange(year, timezone),
})

export interface LedgerCut {
  /** The last entry posted before the period (0: none). Opening balances are read there. */
  startSeq: number
  /** The last entry posted before the period ends (startSeq when the period has none). */
  headSeq: number
  /** That entry's hash: what `ledger/verify` must still find at seq headSeq. */
  chainHead: string
}

async function lastEntryBefore(db: DB, villageId: string, instant: string) {
  return db
    .selectFrom('ledger_entries')
    .select(['seq', 'hash'])
    .where('village_id', '=', villageId)
    .where('at', '<', instant)
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function ledgerCut(db: DB, villageId: string, period: Period): Promise<LedgerCut> {
  const before = await lastEntryBefore(db, villageId, period.start)
  const head = await lastEntryBefore(db, villageId, period.end)
  const startSeq = before?.seq ?? 0
  if (!head || head.seq <= startSeq) return { startSeq, headSeq: startSeq, chainHead: before?.hash ?? GENESIS }
  return { startSeq, headSeq: head.seq, chainHead: head.hash }
}

/** Rows per page: big enough that a county's month is a few hundred queries, small enough to stay flat. */
export const PAGE = 5000

/* better-sqlite3 answers synchronously: between pages, let the server answer other requests (the counter). */
export const breathe = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Pages of a ledger cut in chain order, keyset on seq: each query starts where the last page ended. */
async function* pagesBySeq<T extends { seq: number }>(
  cut: LedgerCut,
  fetch: (after: number) => Promise<T[]>,
): AsyncGenerator<T[]> {
  let after = cut.startSeq
  while (after < cut.headSeq) {
    const page = await fetch(after)
    if (page.length === 0) return
    yield page
    after = page[page.length - 1]!.seq
    await breathe()
  }
}

const cutQuery = (db: DB, villageId: string, cut: LedgerCut, after: number) =>
  db
    .selectFrom('ledger_entries')
    .where('village_id', '=', villageId)
    .where('seq', '>', after)
    .where('seq', '<=', cut.headSeq)
    .orderBy('seq')
    .limit(PAGE)

/** Every entry of a ledger cut, whole, a page at a time. */
export function entryPages(db: DB, villageId: string, cut: LedgerCut): AsyncGenerator<Row<'ledger_entries'>[]> {
  return pagesBySeq(cut, (after) => cutQuery(db, villageId, cut, after).selectAll().execute())
}

/** Only what a tally needs: a third of the columns, so tallying a county's month reads a third of the bytes. */
export function tallyPages(db: DB, villageId: string, cut: LedgerCut) {
  return pagesBySeq(cut, (after) =>
    cutQuery(db, villageId, cut, after).select(['seq', 'household_id', 'kind', 'amount', 'balance_after']).execute(),
  )
}
