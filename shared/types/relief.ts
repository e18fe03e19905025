/** The relief shelf (阳光超市, issue 18) as the API answers it. */

export interface ReliefItem {
  productId: string
  name: string
  unit: string | null
  /** Each household's quantity. */
  quantity: number
  /** All households together: what left the stock. */
  total: number
  unitPoints: number
}

export interface ReliefHousehold {
  id: string
  householdNo: string
  headName: string
  tags: string[]
}

export interface ReliefDistribution {
  id: string
  villageId: string
  note: string
  /** The category given to, when it was all of one (null: households listed). */
  tag: string | null
  at: string
  createdBy: string | null
  householdCount: number
  items: ReliefItem[]
  households: ReliefHousehold[]
}

/** A distribution in a list: no household list. */
export type ReliefSummary = Omit<ReliefDistribution, 'households'>

/** One line of the monthly relief report: a household's share of one distribution. */
export interface ReliefReportLine {
  reliefId: string
  at: string
  note: string
  householdNo: string
  headName: string
  tags: string[]
  productId: string
  productName: string
  unit: string | null
  quantity: number
  unitPoints: number
}

/** GET /villages/:vid/relief/report?month=: the month's relief, beside the points report. */
export interface ReliefReport {
  month: string
  village: { id: string; code: string; name: string }
  distributions: number
  households: number
  /** Goods given by product. */
  byProduct: { productId: string; name: string; unit: string | null; quantity: number; points: number }[]
  /** Households given to, by category (a household of two categories counts in both). */
  byTag: { tag: string; households: number }[]
  lines: ReliefReportLine[]
}
