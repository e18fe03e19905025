import type { DB } from '../../db/database.js'
import type { ReliefReportLine } from '../../shared/types/relief.js'
import { tagsOf } from '../tags/tags.service.js'

/**
 * Every household's share of the relief given in [start, end), by time, household and product: what the monthly
 * relief report and the monthly export's relief sheet list. A primitive: the caller has checked the village.
 */
export async function reliefLines(
  db: DB,
  villageId: string,
  period: { start: string; end: string },
): Promise<ReliefReportLine[]> {
  const rows = await db
    .selectFrom('relief_shares as s')
    .innerJoin('relief_distributions as d', 'd.id', 's.relief_id')
    .innerJoin('households as h', 'h.id', 's.household_id')
    .innerJoin('products as p', 'p.id', 's.product_id')
    .select([
      'd.id as relief_id',
      'd.at',
      'd.note',
      'h.id as household_id',
      'h.household_no',
      'h.head_name',
      'p.id as product_id',
      'p.name',
      'p.unit',
      's.quantity',
      's.unit_points',
    ])
    .where('s.village_id', '=', villageId)
    .where('d.at', '>=', period.start)
    .where('d.at', '<', period.end)
    .orderBy('d.at')
    .orderBy('d.id')
    .orderBy('h.household_no')
    .orderBy('p.sku')
    .execute()
  const tags = await tagsOf(db, villageId, [...new Set(rows.map((r) => r.household_id))])
  return rows.map((r) => ({
    reliefId: r.relief_id,
    at: r.at,
    note: r.note,
    householdNo: r.household_no,
    headName: r.head_name,
    tags: tags.get(r.household_id) ?? [],
    productId: r.product_id,
    productName: r.name,
    unit: r.unit,
    quantity: r.quantity,
    unitPoints: r.unit_points,
  }))
}
