import type { DB } from '../../db/database.js'
import { type ActingUser, assertVillage } from './actor.js'
import { notFound } from './errors.js'

/*
 * Village isolation, checked by the services themselves: a function given a row's id finds the row's village
 * and refuses an actor of another village. The routes' scopeBy middleware does the same before a service runs
 * (defence in depth: a route that forgot scopeBy still cannot reach another village's rows).
 */

/** Tables whose rows belong to one village, and so scope a path or a service call that names one of them. */
export type ScopedTable =
  | 'villages'
  | 'households'
  | 'cards'
  | 'rules'
  | 'awards'
  | 'ledger_entries'
  | 'redemptions'
  | 'products'
  | 'stock_receipts'
  | 'claims'
  | 'redemption_conflicts'
  | 'relief_distributions'
  | 'adjustments'

export const SCOPED_NAMES: Record<ScopedTable, string> = {
  villages: 'village',
  households: 'household',
  cards: 'card',
  rules: 'rule',
  awards: 'award',
  ledger_entries: 'ledger entry',
  redemptions: 'redemption',
  products: 'product',
  stock_receipts: 'stock receipt',
  claims: 'claim',
  redemption_conflicts: 'redemption conflict',
  relief_distributions: 'relief distribution',
  adjustments: 'adjustment',
}

/*
 * Which village a row belongs to never changes (no row moves village, and none of these tables deletes rows),
 * so a scope once found is remembered: per database handle, per table, bounded. Unknown ids are not
 * remembered (a row may be created a moment later); the actor's check itself runs on every call.
 */
const SCOPE_CACHE_MAX = 50_000
const scopes = new WeakMap<object, Map<ScopedTable, Map<string, string>>>()

function scopeCache(db: object, table: ScopedTable): Map<string, string> {
  let byTable = scopes.get(db)
  if (!byTable) scopes.set(db, (byTable = new Map()))
  let cache = byTable.get(table)
  if (!cache) byTable.set(table, (cache = new Map()))
  if (cache.size >= SCOPE_CACHE_MAX) cache.clear()
  return cache
}

/**
 * The village of the row, once the actor may act in it: NOT_FOUND when there is no such row, FORBIDDEN when it
 * is another village's (administrators and SYSTEM_ACTOR may act in any village).
 */
export async function scopedVillage(db: DB, actor: ActingUser, table: ScopedTable, id: string): Promise<string> {
  const cache = scopeCache(db, table)
  let villageId = cache.get(id)
  if (!villageId) {
    villageId =
      table === 'villages'
        ? (await db.selectFrom('villages').select('id').where('id', '=', id).executeTakeFirst())?.id
        : (await db.selectFrom(table).select('village_id').where('id', '=', id).executeTakeFirst())?.village_id
    if (villageId) cache.set(id, villageId)
  }
  // Staff of one village learn nothing about other villages' ids: unknown and foreign look alike to them.
  if (!villageId) throw notFound(SCOPED_NAMES[table])
  assertVillage(actor, villageId)
  return villageId
}
