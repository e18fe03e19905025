import type { DB } from '../../db/database.js'
import { notFound } from '../core/errors.js'

/* What the supermarket's printed pages (donation receipt, counter receipt) need beyond their own record. */

export async function villageForPrint(db: DB, villageId: string) {
  const v = await db.selectFrom('villages').select(['name', 'timezone']).where('id', '=', villageId).executeTakeFirst()
  if (!v) throw notFound('village')
  return v
}

export async function userName(db: DB, userId: string | null): Promise<string> {
  if (!userId) return ''
  const u = await db
    .selectFrom('users')
    .select(['username', 'display_name'])
    .where('id', '=', userId)
    .executeTakeFirst()
  return u ? (u.display_name ?? u.username) : ''
}
