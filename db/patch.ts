import type { Database, Row } from './schema.js'

/**
 * How each field of a PATCH input lands in a table: the column it is copied to as it is, or a function that
 * turns it into columns (`active: (v) => ({ active: v ? 1 : 0 })`).
 */
export type PatchMap<I, R> = { [K in keyof I]?: keyof R | ((value: Exclude<I[K], undefined>) => Partial<R>) }

/**
 * The columns to update for a PATCH: every field the input gives (not undefined; null is a value) mapped to its
 * column, the rest left alone. `table` only names the row type the map is checked against.
 *
 *   const changes = patchOf('villages', input, { name: 'name', noticeDays: 'notice_days' })
 *   if (Object.keys(changes).length) await db.updateTable('villages').set(changes)...
 */
export function patchOf<T extends keyof Database, I extends object>(
  _table: T,
  input: I,
  map: PatchMap<I, Row<T>>,
): Partial<Row<T>> {
  const changes: Partial<Row<T>> = {}
  for (const field of Object.keys(map) as (keyof I)[]) {
    const value = input[field]
    if (value === undefined) continue
    const to = map[field]!
    if (typeof to === 'function') Object.assign(changes, to(value as Exclude<I[keyof I], undefined>))
    else (changes as Record<PropertyKey, unknown>)[to as PropertyKey] = value
  }
  return changes
}
