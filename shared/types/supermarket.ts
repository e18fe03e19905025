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
