import type { DB } from '../../db/database.js'
import type { RollupVillage } from '../../shared/schemas/exports.js'
import { type ActingUser, isAdmin } from '../core/actor.js'
import { forbidden } from '../core/errors.js'
import { addTotals, monthlyStatement, zeroTotals } from './statement.js'

/*
 * The township's view of a month: per village, the same statement the village exports (so the two always
 * agree), reduced to households, participation and points; villages ranked by participation, then by points
 * issued. Villages are read one after another, each in pages.
 */

const rate = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000)

function byRank(a: Omit<RollupVillage, 'rank'>, b: Omit<RollupVillage, 'rank'>) {
  return (
    b.participationRate - a.participationRate || b.issued - a.issued || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  )
}

/** For administrators: the township spans villages. */
export async function townshipRollup(db: DB, actor: ActingUser, month: string) {
  if (!isAdmin(actor)) throw forbidden('the roll-up spans villages: administrators only')
  const villages = await db.selectFrom('villages').select(['id', 'code', 'name', 'timezone']).orderBy('code').execute()
  const rows: Omit<RollupVillage, 'rank'>[] = []
  for (const v of villages) {
    const s = await monthlyStatement(db, v, month)
    const households = s.households.length
    rows.push({
      villageId: v.id,
      code: v.code,
      name: v.name,
      households,
      participating: s.participating,
      participationRate: rate(s.participating, households),
      issued: s.totals.earned,
      outstanding: s.totals.closing,
      ...s.totals,
    })
  }
  const ranked: RollupVillage[] = rows.sort(byRank).map((r, i) => ({ rank: i + 1, ...r }))
  const totals = zeroTotals()
  for (const r of ranked) addTotals(totals, r)
  const households = ranked.reduce((n, r) => n + r.households, 0)
  const participating = ranked.reduce((n, r) => n + r.participating, 0)
  return {
    month,
    villages: ranked,
    totals: {
      households,
      participating,
      participationRate: rate(participating, households),
      issued: totals.earned,
      outstanding: totals.closing,
      ...totals,
    },
  }
}
