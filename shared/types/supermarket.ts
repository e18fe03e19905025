/** The supermarket's answers (server/supermarket, read by the web app's counter and committee pages). */

export interface Product {
  id: string
  sku: string
  name: string
  pointsPrice: number
  unit: string | null
  category: string | null
  barcode: string | null
  lowStockThreshold: number
  active: boolean
  stock: number
  createdAt: string
}

export interface RedemptionLine {
  productId: string
  sku: string
  name: string
  unit: string | null
  quantity: number
  unitPoints: number
  points: number
}

export interface Redemption {
  id: string
  receiptNo: string
  householdId: string
  householdNo: string
  cardId: string | null
  pointsSpent: number
  balanceAfter: number
  items: RedemptionLine[]
  at: string
  cashierId: string
  ledgerEntryId: string
  voided: boolean
  voidedAt: string | null
  voidedBy: string | null
  voidReason: string | null
  voidEntryId: string | null
}

export interface StockReceiptLine {
  productId: string
  sku: string
  name: string
  unit: string | null
  quantity: number
  bestBefore: string | null
  unitPoints: number
  points: number
}

/** Goods in (mostly a donation), as POST and GET /api/villages/:vid/stock/receipts answer. */
export interface StockReceipt {
  id: string
  /** JZ-2026-0007: per village and year (issue 17); null on receipts made before numbering. */
  receiptNo: string | null
  donor: string | null
  donorOrg: string | null
  note: string | null
  at: string
  createdBy: string | null
  items: StockReceiptLine[]
  totalQuantity: number
  totalPoints: number
}

export interface LowStock {
  productId: string
  sku: string
  name: string
  unit: string | null
  stock: number
  threshold: number
}

export interface NearExpiryLot {
  productId: string
  sku: string
  name: string
  receiptId: string | null
  receivedAt: string
  bestBefore: string
  daysLeft: number
  expired: boolean
  /** Of this lot, how much is still on the shelf, assuming goods leave oldest-received first. */
  remaining: number
}

/** GET /api/villages/:vid/stock/alerts */
export interface StockAlerts {
  today: string
  lowStock: LowStock[]
  nearExpiry: NearExpiryLot[]
}

/** GET /api/villages/:vid/supermarket/summary: the points budget and the stock alerts (and more the web app does not read). */
export interface SupermarketSummary extends StockAlerts {
  /** Points the households can spend (positive balances). */
  outstanding: number
  /** Points value of the goods on sale. */
  stockValue: number
  overCommitted: boolean
  /** How many times the goods cover the points; null when nobody holds points. */
  coverage: number | null
  products: { total: number; active: number }
}

/** GET /api/villages/:vid/supermarket/by-category?month=: a month's redemptions by product category (issue 17). */
export interface CategoryRedemptions {
  category: string
  points: number
  quantity: number
}
