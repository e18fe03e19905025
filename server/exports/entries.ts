import type { DB } from '../../db/database.js'
import type { ExportEntry, ExportStockMove } from '../../shared/schemas/exports.js'
import { entryPages, type LedgerCut, PAGE, type Period, breathe } from './ledger-cut.js'

/** Rule code and name, and operator username, by id: small tables, read once per export. */
async function lookups(db: DB, villageId: string) {
  const rules = await db
    .selectFrom('rules')
    .select(['id', 'code', 'name'])
    .where('village_id', '=', villageId)
    .execute()
  // Operators are the village's staff, or an admin (no village).
  const users = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .where((eb) => eb.or([eb('village_id', '=', villageId), eb('village_id', 'is', null)]))
    .execute()
  return { rules: new Map(rules.map((r) => [r.id, r])), users: new Map(users.map((u) => [u.id, u.username])) }
}

/** What the entry listing needs of a statement. */
interface EntriesOf {
  village: { id: string }
  households: { householdId: string; householdNo: string }[]
  cut: LedgerCut
}

/** The statement's entries as the export lists them, a page at a time. */
export async function* exportEntryPages(db: DB, statement: EntriesOf): AsyncGenerator<ExportEntry[]> {
  const { rules, users } = await lookups(db, statement.village.id)
  const householdNo = new Map(statement.households.map((h) => [h.householdId, h.householdNo]))
  for await (const page of entryPages(db, statement.village.id, statement.cut)) {
    yield page.map((e) => {
      const rule = e.rule_id ? rules.get(e.rule_id) : undefined
      return {
        id: e.id,
        seq: e.seq,
        at: e.at,
        kind: e.kind,
        householdId: e.household_id,
        householdNo: e.household_id ? (householdNo.get(e.household_id) ?? null) : null,
        amount: e.amount,
        balanceAfter: e.balance_after,
        memo: e.memo,
        occurredOn: e.occurred_on,
        ruleId: e.rule_id,
        ruleCode: rule?.code ?? null,
        ruleName: rule?.name ?? null,
        operator: e.created_by ? (users.get(e.created_by) ?? null) : null,
        reversesId: e.reverses_id,
        hash: e.hash,
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
      .select([
        'm.id',
        'm.at',
        'm.kind',
        'm.product_id',
        'p.sku',
        'p.name',
        'm.quantity',
        'm.unit_points',
        'm.reason',
        'm.receipt_id',
        'm.redemption_id',
      ])
      .where('m.village_id', '=', villageId)
      .where('m.at', '>=', period.start)
      .where('m.at', '<', period.end)
      .where('m.id', '>', after)
      .orderBy('m.id')
      .limit(PAGE)
      .execute()
    if (page.length === 0) return
    yield page.map((m) => ({
      id: m.id,
      at: m.at,
      kind: m.kind,
      productId: m.product_id,
      sku: m.sku,
      productName: m.name,
      quantity: m.quantity,
      unitPoints: m.unit_points,
      reason: m.reason,
      receiptId: m.receipt_id,
      redemptionId: m.redemption_id,
    }))
    after = page[page.length - 1]!.id
    await breathe()
  }
}
