import type { DB } from '../../db/database.js'
import type { Row } from '../../db/schema.js'
import type { ExportEntry, ExportStockMove } from '../../shared/schemas/exports.js'
import type { LedgerCut, Period, Statement } from './statement.js'

/** Rows per page: big enough that a county's month is a few hundred queries, small enough to stay flat. */
export const PAGE = 5000

/* better-sqlite3 answers synchronously: between pages, let the server answer other requests (the counter). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Pages of a ledger cut in chain order, keyset on seq: each query starts where the last page ended. */
async function* pagesBySeq<T extends { seq: number }>(cut: LedgerCut, fetch: (after: number) => Promise<T[]>): AsyncGenerator<T[]> {
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
  return pagesBySeq(cut, (after) => cutQuery(db, villageId, cut, after).select(['seq', 'household_id', 'kind', 'amount', 'balance_after']).execute())
}

/** Rule code and name, and operator username, by id: small tables, read once per export. */
async function lookups(db: DB, villageId: string) {
  const rules = await db.selectFrom('rules').select(['id', 'code', 'name']).where('village_id', '=', villageId).execute()
  // Operators are the village's staff, or an admin (no village).
  const users = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .where((eb) => eb.or([eb('village_id', '=', villageId), eb('village_id', 'is', null)]))
    .execute()
  return { rules: new Map(rules.map((r) => [r.id, r])), users: new Map(users.map((u) => [u.id, u.username])) }
}

/** The statement's entries as the export lists them, a page at a time. */
export async function* exportEntryPages(db: DB, statement: Statement): AsyncGenerator<ExportEntry[]> {
  const { rules, users } = await lookups(db, statement.village.id)
  const householdNo = new Map(statement.households.map((h) => [h.householdId, h.householdNo]))
  for await (const page of entryPages(db, statement.village.id, statement.cut)) {
    yield page.map((e) => {
      const rule = e.rule_id ? rules.get(e.rule_id) : undefined
      return {
        id: e.id, seq: e.seq, at: e.at, kind: e.kind, householdId: e.household_id,
        householdNo: e.household_id ? householdNo.get(e.household_id) ?? null : null, amount: e.amount,
        balanceAfter: e.balance_after, memo: e.memo, occurredOn: e.occurred_on, ruleId: e.rule_id,
        ruleCode: rule?.code ?? null, ruleName: rule?.name ?? null, operator: e.created_by ? users.get(e.created_by) ?? null : null,
        reversesId: e.reverses_id, hash: e.hash,
      }
    })
  }
}

/** The supermarket's stock movements of the period with their product, a page at a time (keyset on id). */
export async function* stockMovePages(db: DB, villageId: string, period: Period): AsyncGenerator<ExportStockMove[]> {
  let after = 0
  for (;;) {
    const page = await db
      .selectFrom('stock_moves as m')
      .innerJoin('products as p', 'p.id', 'm.product_id')
      .select(['m.id', 'm.at', 'm.kind', 'm.product_id', 'p.sku', 'p.name', 'm.quantity', 'm.unit_points', 'm.reason', 'm.receipt_id', 'm.redemption_id'])
      .where('m.village_id', '=', villageId)
      .where('m.at', '>=', period.start)
      .where('m.at', '<', period.end)
      .where('m.id', '>', after)
      .orderBy('m.id')
      .limit(PAGE)
      .execute()
    if (page.length === 0) return
    yield page.map((m) => ({
      id: m.id, at: m.at, kind: m.kind, productId: m.product_id, sku: m.sku, productName: m.name, quantity: m.quantity,
      unitPoints: m.unit_points, reason: m.reason, receiptId: m.receipt_id, redemptionId: m.redemption_id,
    }))
    after = page[page.length - 1]!.id
    await breathe()
  }
}
