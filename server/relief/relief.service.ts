import type { DB } from '../../db/database.js'
import { lockVillage, withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Page } from '../../shared/schemas/common.js'
import type { ReliefInput } from '../../shared/schemas/relief.js'
import type { ReliefDistribution, ReliefHousehold, ReliefItem, ReliefSummary } from '../../shared/types/relief.js'
import { type ActingUser, actorIdOf, assertVillage } from '../core/actor.js'
import { DomainError } from '../core/errors.js'
import { scopedVillage } from '../core/scope.js'
import { appendMoves, productsByIds } from '../supermarket/supermarket.service.js'
import { householdsWithTag, tagsOf } from '../tags/tags.service.js'
import { villageMonth } from '../villages/villages.service.js'

/*
 * The relief shelf (阳光超市, issue 18): the supermarket also gives necessities free to needy households. One
 * distribution gives each household the same goods; the stock goes out (stock moves of kind 'relief', never
 * below zero: OUT_OF_STOCK and nothing is given), no points move (nothing touches the ledger), and every
 * household's share is recorded line by line, for the sign-off sheet (签领表) and the monthly relief report.
 */

export { reliefLines } from './relief-lines.js'

const SHARE_BATCH = 500

/** The listed households, each once, all of this village (an unknown or another village's id: NOT_FOUND). */
async function listedHouseholds(
  trx: DB,
  villageId: string,
  ids: string[],
): Promise<{ id: string; householdNo: string }[]> {
  const unique = [...new Set(ids)]
  const found = new Map<string, string>()
  for (let i = 0; i < unique.length; i += SHARE_BATCH) {
    const rows = await trx
      .selectFrom('households')
      .select(['id', 'household_no'])
      .where('village_id', '=', villageId)
      .where('id', 'in', unique.slice(i, i + SHARE_BATCH))
      .execute()
    for (const r of rows) found.set(r.id, r.household_no)
  }
  const missing = unique.filter((id) => !found.has(id))
  if (missing.length)
    throw new DomainError(
      'NOT_FOUND',
      'household not found',
      missing.map((householdId) => ({ householdId })),
    )
  return unique.map((id) => ({ id, householdNo: found.get(id)! }))
}

/** Gives goods free to households: all or nothing, in one transaction. */
export async function giveRelief(
  db: DB,
  actor: ActingUser,
  villageId: string,
  input: ReliefInput,
): Promise<ReliefDistribution> {
  assertVillage(actor, villageId)
  const id = newId()
  await withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const households = input.tag
      ? await householdsWithTag(trx, villageId, input.tag)
      : await listedHouseholds(trx, villageId, input.householdIds ?? [])
    if (!households.length) {
      throw new DomainError('VALIDATION_FAILED', `no household is marked ${input.tag}`, [
        { field: 'tag', message: 'no household in this category' },
      ])
    }
    const products = await productsByIds(
      trx,
      villageId,
      input.items.map((i) => i.productId),
    )
    const at = nowIso()
    await trx
      .insertInto('relief_distributions')
      .values({
        id,
        village_id: villageId,
        note: input.note,
        tag: input.tag ?? null,
        household_count: households.length,
        at,
        created_by: actorIdOf(actor),
      })
      .execute()
    await appendMoves(
      trx,
      villageId,
      actorIdOf(actor),
      input.items.map((i) => ({
        productId: i.productId,
        kind: 'relief' as const,
        quantity: -i.quantity * households.length,
        unitPoints: products.get(i.productId)!.points_price,
        reliefId: id,
        reason: input.note,
      })),
      at,
    )
    const shares = households.flatMap((h) =>
      input.items.map((i) => ({
        village_id: villageId,
        relief_id: id,
        household_id: h.id,
        product_id: i.productId,
        quantity: i.quantity,
        unit_points: products.get(i.productId)!.points_price,
      })),
    )
    for (let i = 0; i < shares.length; i += SHARE_BATCH)
      await trx
        .insertInto('relief_shares')
        .values(shares.slice(i, i + SHARE_BATCH))
        .execute()
  })
  return getRelief(db, actor, id)
}

/** The goods of distributions: per household and in total. */
async function itemsOf(db: DB, villageId: string, reliefIds: string[]): Promise<Map<string, ReliefItem[]>> {
  const out = new Map<string, ReliefItem[]>(reliefIds.map((id) => [id, []]))
  if (!reliefIds.length) return out
  const rows = await db
    .selectFrom('relief_shares as s')
    .innerJoin('products as p', 'p.id', 's.product_id')
    .select(['s.relief_id', 's.product_id', 'p.name', 'p.unit', 'p.sku', 's.unit_points'])
    .select((eb) => [eb.fn.max('s.quantity').as('each'), eb.fn.sum<number>('s.quantity').as('total')])
    .where('s.village_id', '=', villageId)
    .where('s.relief_id', 'in', reliefIds)
    .groupBy(['s.relief_id', 's.product_id', 'p.name', 'p.unit', 'p.sku', 's.unit_points'])
    .orderBy('p.sku')
    .execute()
  for (const r of rows) {
    out.get(r.relief_id)?.push({
      productId: r.product_id,
      name: r.name,
      unit: r.unit,
      quantity: Number(r.each),
      total: Number(r.total),
      unitPoints: r.unit_points,
    })
  }
  return out
}

type DistributionRow = {
  id: string
  village_id: string
  note: string
  tag: string | null
  household_count: number
  at: string
  created_by: string | null
}

const toSummary = (r: DistributionRow, items: ReliefItem[]): ReliefSummary => ({
  id: r.id,
  villageId: r.village_id,
  note: r.note,
  tag: r.tag,
  at: r.at,
  createdBy: r.created_by,
  householdCount: r.household_count,
  items,
})

/** One distribution with its goods and every household given to, by household number. */
export async function getRelief(db: DB, actor: ActingUser, id: string): Promise<ReliefDistribution> {
  const villageId = await scopedVillage(db, actor, 'relief_distributions', id)
  const row = await db.selectFrom('relief_distributions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const households = await db
    .selectFrom('relief_shares as s')
    .innerJoin('households as h', 'h.id', 's.household_id')
    .select(['h.id', 'h.household_no', 'h.head_name'])
    .distinct()
    .where('s.village_id', '=', villageId)
    .where('s.relief_id', '=', id)
    .orderBy('h.household_no')
    .execute()
  const tags = await tagsOf(
    db,
    villageId,
    households.map((h) => h.id),
  )
  const list: ReliefHousehold[] = households.map((h) => ({
    id: h.id,
    householdNo: h.household_no,
    headName: h.head_name,
    tags: tags.get(h.id) ?? [],
  }))
  const items = (await itemsOf(db, villageId, [id])).get(id) ?? []
  return { ...toSummary(row, items), households: list }
}

/** Distributions newest first (of a month in the village's time zone, when given), a page at a time. */
export async function listRelief(
  db: DB,
  actor: ActingUser,
  villageId: string,
  opts: { month?: string; limit: number; cursor?: string },
): Promise<Page<ReliefSummary>> {
  const range = await villageMonth(db, actor, villageId, opts.month)
  let q = db
    .selectFrom('relief_distributions')
    .selectAll()
    .where('village_id', '=', villageId)
    .orderBy('id', 'desc')
    .limit(opts.limit + 1)
  if (range) q = q.where('at', '>=', range.start).where('at', '<', range.end)
  if (opts.cursor) q = q.where('id', '<', opts.cursor)
  const rows = await q.execute()
  const page = rows.slice(0, opts.limit)
  const items = await itemsOf(
    db,
    villageId,
    page.map((r) => r.id),
  )
  return {
    items: page.map((r) => toSummary(r, items.get(r.id) ?? [])),
    nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null,
  }
}
