import { sql } from 'kysely'
import type { DB } from '../../../db/database.js'
import { addDays, localDate, zonedToUtc } from '../../../shared/time.js'
import { type ActingUser, assertVillage } from '../../core/actor.js'
import { villageMonth, villageTimezone } from '../../villages/villages.service.js'
import type { CategoryRedemptions, LowStock, NearExpiryLot } from '../../../shared/types/supermarket.js'

export type { LowStock, NearExpiryLot }

/*
 * The points budget (积分总额控制): points the households hold are a promise of goods, so the village watches
 * the points outstanding against the points value of what is on the shelves. Also the shelf alerts: products
 * at or below their low-stock threshold, and lots near (or past) their best-before date.
 */

export const NEAR_EXPIRY_DAYS = 60

export interface Budget {
  /** Points the households can spend: the sum of positive balances (a household in debt backs nothing). */
  outstanding: number
  /** Points value of the goods on sale: stock × points price over active products. */
  stockValue: number
}

export async function pointsBudget(db: DB, actor: ActingUser, villageId: string): Promise<Budget> {
  assertVillage(actor, villageId)
  const held = await db
    .selectFrom('accounts')
    .select(sql<number>`coalesce(sum(case when balance > 0 then balance else 0 end), 0)`.as('outstanding'))
    .where('village_id', '=', villageId)
    .where('kind', '=', 'household')
    .executeTakeFirstOrThrow()
  const shelves = await db
    .selectFrom('products')
    .select(sql<number>`coalesce(sum(stock * points_price), 0)`.as('stockValue'))
    .where('village_id', '=', villageId)
    .where('active', '=', 1)
    .executeTakeFirstOrThrow()
  return { outstanding: Number(held.outstanding), stockValue: Number(shelves.stockValue) }
}

/**
 * For award approval: null while the goods cover the points, else the two figures to show in a warning.
 * Takes a transaction handle too (the approval may ask inside its own).
 */
export async function budgetWarning(db: DB, actor: ActingUser, villageId: string): Promise<Budget | null> {
  const b = await pointsBudget(db, actor, villageId)
  return b.outstanding > b.stockValue ? b : null
}

export async function lowStock(db: DB, actor: ActingUser, villageId: string): Promise<LowStock[]> {
  assertVillage(actor, villageId)
  const rows = await db
    .selectFrom('products')
    .select(['id', 'sku', 'name', 'unit', 'stock', 'low_stock_threshold'])
    .where('village_id', '=', villageId)
    .where('active', '=', 1)
    .where('low_stock_threshold', '>', 0)
    .whereRef('stock', '<=', 'low_stock_threshold')
    .orderBy('stock')
    .orderBy('sku')
    .execute()
  return rows.map((r) => ({
    productId: r.id,
    sku: r.sku,
    name: r.name,
    unit: r.unit,
    stock: r.stock,
    threshold: r.low_stock_threshold,
  }))
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/**
 * Lots whose best-before date is within NEAR_EXPIRY_DAYS of today (or past) and that may still be on the
 * shelf. Stock is not tracked per lot, so the shelf is read first-in-first-out: the current stock is made of
 * the newest receipts, and an older lot counts only for what the newer ones do not explain.
 */
export async function nearExpiry(
  db: DB,
  actor: ActingUser,
  villageId: string,
  today: string,
): Promise<NearExpiryLot[]> {
  assertVillage(actor, villageId)
  const horizon = addDays(today, NEAR_EXPIRY_DAYS)
  const flagged = await db
    .selectFrom('stock_moves')
    .select('product_id')
    .distinct()
    .where('village_id', '=', villageId)
    .where('kind', '=', 'receipt')
    .where('best_before', 'is not', null)
    .where('best_before', '<=', horizon)
    .execute()
  if (flagged.length === 0) return []
  const ids = flagged.map((f) => f.product_id)
  const products = await db
    .selectFrom('products')
    .select(['id', 'sku', 'name', 'stock'])
    .where('village_id', '=', villageId)
    .where('id', 'in', ids)
    .where('stock', '>', 0)
    .execute()
  const lots: NearExpiryLot[] = []
  for (const p of products) {
    const receipts = await db
      .selectFrom('stock_moves')
      .select(['receipt_id', 'quantity', 'best_before', 'at'])
      .where('village_id', '=', villageId)
      .where('product_id', '=', p.id)
      .where('kind', '=', 'receipt')
      .orderBy('id', 'desc')
      .execute()
    let shelf = p.stock
    for (const r of receipts) {
      if (shelf <= 0) break
      const remaining = Math.min(shelf, r.quantity)
      shelf -= remaining
      if (r.best_before !== null && r.best_before <= horizon) {
        const daysLeft = daysBetween(today, r.best_before)
        lots.push({
          productId: p.id,
          sku: p.sku,
          name: p.name,
          receiptId: r.receipt_id,
          receivedAt: r.at,
          bestBefore: r.best_before,
          daysLeft,
          expired: daysLeft < 0,
          remaining,
        })
      }
    }
  }
  return lots.sort((a, b) =>
    a.bestBefore < b.bestBefore ? -1 : a.bestBefore > b.bestBefore ? 1 : a.sku < b.sku ? -1 : 1,
  )
}

export async function stockAlerts(db: DB, actor: ActingUser, villageId: string, now = new Date()) {
  const today = localDate(now, await villageTimezone(db, actor, villageId))
  return {
    today,
    lowStock: await lowStock(db, actor, villageId),
    nearExpiry: await nearExpiry(db, actor, villageId, today),
  }
}

/** The counter's day so far: redemptions that stand (voided ones are not counted) and their points. */
async function counterToday(db: DB, villageId: string, today: string, timezone: string) {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const start = zonedToUtc(y, m, d, timezone).toISOString()
  const next = addDays(today, 1).split('-').map(Number) as [number, number, number]
  const end = zonedToUtc(next[0], next[1], next[2], timezone).toISOString()
  const row = await db
    .selectFrom('redemptions')
    .select((eb) => [eb.fn.countAll<number>().as('n'), sql<number>`coalesce(sum(points_spent), 0)`.as('points')])
    .where('village_id', '=', villageId)
    .where('at', '>=', start)
    .where('at', '<', end)
    .where('voided_at', 'is', null)
    .executeTakeFirstOrThrow()
  return { redemptions: Number(row.n), pointsSpent: Number(row.points) }
}

/** The supermarket at a glance: the points budget, today's counter, and the shelf alerts. */
export async function supermarketSummary(db: DB, actor: ActingUser, villageId: string, now = new Date()) {
  const alerts = await stockAlerts(db, actor, villageId, now)
  const budget = await pointsBudget(db, actor, villageId)
  const products = await db
    .selectFrom('products')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      sql<number>`coalesce(sum(case when active = 1 then 1 else 0 end), 0)`.as('active'),
    ])
    .where('village_id', '=', villageId)
    .executeTakeFirstOrThrow()
  return {
    ...budget,
    overCommitted: budget.outstanding > budget.stockValue,
    /** How many times the goods cover the points (null when nobody holds points). */
    coverage: budget.outstanding > 0 ? Math.round((budget.stockValue / budget.outstanding) * 100) / 100 : null,
    products: { total: Number(products.n), active: Number(products.active) },
    counterToday: await counterToday(db, villageId, alerts.today, await villageTimezone(db, actor, villageId)),
    ...alerts,
  }
}

/**
 * Redemptions by product category in a month of the village's calendar (issue 17: the dashboard's category chart
 * had awards only): points spent and pieces, voided sales left out. A product without a category is '其他'.
 */
export async function redemptionsByCategory(
  db: DB,
  actor: ActingUser,
  villageId: string,
  month: string,
): Promise<{ month: string; items: CategoryRedemptions[] }> {
  const range = (await villageMonth(db, actor, villageId, month))!
  const rows = await db
    .selectFrom('redemption_lines as l')
    .innerJoin('redemptions as r', 'r.id', 'l.redemption_id')
    .innerJoin('products as p', 'p.id', 'l.product_id')
    .select([
      sql<string>`coalesce(p.category, '其他')`.as('category'),
      (eb) => eb.fn.sum<number>('l.points').as('points'),
      (eb) => eb.fn.sum<number>('l.quantity').as('quantity'),
    ])
    .where('l.village_id', '=', villageId)
    .where('r.village_id', '=', villageId)
    .where('r.voided_at', 'is', null)
    .where('r.at', '>=', range.start)
    .where('r.at', '<', range.end)
    .groupBy(sql`coalesce(p.category, '其他')`)
    .execute()
  const items = rows
    .map((r) => ({ category: r.category, points: Number(r.points), quantity: Number(r.quantity) }))
    .sort((a, b) => b.points - a.points)
  return { month, items }
}
