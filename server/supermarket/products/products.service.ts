import { sql } from 'kysely'
import type { DB } from '../../../db/database.js'
import { caseInsensitiveLike } from '../../../db/dialect.js'
import { newId, nowIso } from '../../../db/ids.js'
import type { Row } from '../../../db/schema.js'
import type { Page } from '../../../shared/schemas/common.js'
import type { CreateProductInput, UpdateProductInput } from '../../../shared/schemas/supermarket.js'
import type { Product } from '../../../shared/types/supermarket.js'
import { DomainError, notFound, duplicate } from '../../core/errors.js'
import { rethrowUnique } from '../../../db/errors.js'
import { patchOf } from '../../../db/patch.js'
import { type ActingUser, assertVillage } from '../../core/actor.js'
import { scopedVillage } from '../../core/scope.js'

export type { Product }

/*
 * The supermarket's goods. A product's `stock` column is kept in step with its stock moves (stock/moves.ts)
 * in the same transaction; nothing here changes stock.
 */

export function productRowToProduct(r: Row<'products'>): Product {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    pointsPrice: r.points_price,
    unit: r.unit,
    category: r.category,
    barcode: r.barcode,
    lowStockThreshold: r.low_stock_threshold,
    active: r.active === 1,
    stock: r.stock,
    createdAt: r.created_at,
  }
}

function duplicateMessage(err: unknown): string {
  return String((err as Error)?.message ?? '').includes('barcode')
    ? 'this barcode is already on another product'
    : 'this SKU is taken'
}

export async function createProduct(
  db: DB,
  actor: ActingUser,
  villageId: string,
  input: CreateProductInput,
): Promise<Product> {
  assertVillage(actor, villageId)
  const row: Row<'products'> = {
    id: newId(),
    village_id: villageId,
    sku: input.sku,
    name: input.name,
    category: input.category ?? null,
    unit: input.unit ?? null,
    barcode: input.barcode ?? null,
    points_price: input.pointsPrice,
    low_stock_threshold: input.lowStockThreshold ?? 0,
    active: input.active === false ? 0 : 1,
    stock: 0,
    created_at: nowIso(),
  }
  try {
    await db.insertInto('products').values(row).execute()
  } catch (err) {
    rethrowUnique(err, () => duplicate(duplicateMessage(err)))
  }
  return productRowToProduct(row)
}

export async function getProduct(db: DB, actor: ActingUser, id: string): Promise<Product> {
  const row = await db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('product')
  assertVillage(actor, row.village_id)
  return productRowToProduct(row)
}

export async function updateProduct(
  db: DB,
  actor: ActingUser,
  id: string,
  input: UpdateProductInput,
): Promise<Product> {
  const villageId = await scopedVillage(db, actor, 'products', id)
  const changes = patchOf('products', input, {
    name: 'name',
    pointsPrice: 'points_price',
    unit: 'unit',
    category: 'category',
    barcode: 'barcode',
    lowStockThreshold: 'low_stock_threshold',
    active: (v) => ({ active: v ? 1 : 0 }),
  })
  if (Object.keys(changes).length) {
    try {
      await db.updateTable('products').set(changes).where('id', '=', id).where('village_id', '=', villageId).execute()
    } catch (err) {
      rethrowUnique(err, () => duplicate(duplicateMessage(err)))
    }
  }
  return getProduct(db, actor, id)
}

/** Products by SKU, a page at a time; `barcode` finds the one product a scanner read. */
export async function listProducts(
  db: DB,
  actor: ActingUser,
  villageId: string,
  opts: { q?: string; barcode?: string; active?: boolean; limit: number; cursor?: string },
): Promise<Page<Product>> {
  assertVillage(actor, villageId)
  let q = db
    .selectFrom('products')
    .selectAll()
    .where('village_id', '=', villageId)
    .orderBy('sku')
    .limit(opts.limit + 1)
  if (opts.barcode) q = q.where('barcode', '=', opts.barcode)
  if (opts.active !== undefined) q = q.where('active', '=', opts.active ? 1 : 0)
  if (opts.q) {
    const pattern = `%${opts.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
    const like = caseInsensitiveLike(db)
    q = q.where(
      sql<boolean>`(name ${like} ${pattern} escape '\\' or sku ${like} ${pattern} escape '\\' or category ${like} ${pattern} escape '\\')`,
    )
  }
  if (opts.cursor) q = q.where('sku', '>', Buffer.from(opts.cursor, 'base64url').toString('utf8'))
  const rows = await q.execute()
  const page = rows.slice(0, opts.limit)
  const last = page[page.length - 1]
  return {
    items: page.map(productRowToProduct),
    nextCursor: rows.length > opts.limit && last ? Buffer.from(last.sku, 'utf8').toString('base64url') : null,
  }
}

/**
 * The village's products named in a request, by id, read inside the caller's transaction. An id that is not
 * one of this village's products is NOT_FOUND (another village's product looks the same as none).
 */
export async function productsByIds(trx: DB, villageId: string, ids: string[]): Promise<Map<string, Row<'products'>>> {
  const unique = [...new Set(ids)]
  const rows = unique.length
    ? await trx
        .selectFrom('products')
        .selectAll()
        .where('village_id', '=', villageId)
        .where('id', 'in', unique)
        .execute()
    : []
  const byId = new Map(rows.map((r) => [r.id, r]))
  const missing = unique.filter((pid) => !byId.has(pid))
  if (missing.length)
    throw new DomainError(
      'NOT_FOUND',
      'product not found',
      missing.map((productId) => ({ productId })),
    )
  return byId
}
