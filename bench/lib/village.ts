import type { DB } from '../../db/database.js'

export interface BenchVillage {
  id: string
  code: string
  name: string
  households: number
}

/** The village whose size is nearest `target` households (a typical village of the county: about 450). */
export async function villageNear(db: DB, target: number): Promise<BenchVillage> {
  const rows = await db
    .selectFrom('villages as v')
    .innerJoin('households as h', 'h.village_id', 'v.id')
    .select(['v.id', 'v.code', 'v.name', (eb) => eb.fn.countAll<number>().as('households')])
    .groupBy('v.id')
    .execute()
  const best = rows.sort((a, b) => Math.abs(Number(a.households) - target) - Math.abs(Number(b.households) - target))[0]
  if (!best) throw new Error('the database has no village')
  return { id: best.id, code: best.code, name: best.name, households: Number(best.households) }
}

export const staffName = (v: BenchVillage, role: 'clerk' | 'approver' | 'cashier' | 'auditor') =>
  `${v.code.toLowerCase()}-${role}`

export async function userId(db: DB, username: string): Promise<string> {
  return (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id
}
