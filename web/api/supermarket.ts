import type {
  CreateProductInput,
  RedemptionInput,
  StockReceiptInput,
  StocktakeInput,
  UpdateProductInput,
} from '../../shared/schemas/supermarket.js'
import type { Page } from '../../shared/types/page.js'
import type {
  CategoryRedemptions,
  Product,
  Redemption,
  StockAlerts,
  StockReceipt,
  SupermarketSummary,
} from '../../shared/types/supermarket.js'
import { http, openPrintable, qs } from './client.js'

/** The love supermarket: goods, stock in and counted, the counter's sales. */
export const products = {
  list: (vid: string) => http.get<Page<Product>>(`/api/villages/${vid}/products?limit=500`),
  create: (vid: string, body: CreateProductInput) => http.post<Product>(`/api/villages/${vid}/products`, body),
  update: (id: string, body: UpdateProductInput) => http.patch<Product>(`/api/products/${id}`, body),
}

export const stock = {
  receipts: (vid: string, query: { limit?: number } = {}) =>
    http.get<Page<StockReceipt>>(`/api/villages/${vid}/stock/receipts?limit=${query.limit ?? 50}`),
  receive: (vid: string, body: StockReceiptInput) =>
    http.post<StockReceipt>(`/api/villages/${vid}/stock/receipts`, body),
  /** Opens the printable thank-you slip of a receipt. */
  printReceipt: (id: string) => openPrintable(`/api/stock/receipts/${id}/print`),
  stocktake: (vid: string, body: StocktakeInput) => http.post<unknown>(`/api/villages/${vid}/stock/stocktakes`, body),
  alerts: (vid: string) => http.get<StockAlerts>(`/api/villages/${vid}/stock/alerts`),
  summary: (vid: string) => http.get<SupermarketSummary>(`/api/villages/${vid}/supermarket/summary`),
  /** A month's redemptions by product category (issue 17). */
  byCategory: (vid: string, month: string) =>
    http.get<{ month: string; items: CategoryRedemptions[] }>(
      `/api/villages/${vid}/supermarket/by-category${qs({ month })}`,
    ),
}

/** A checkout's body, as the kiosk sends it (the schema's input, checked by the server). */
export type RedemptionBody = Pick<RedemptionInput, 'cardCode' | 'householdId' | 'pin'> & {
  items: { productId: string; quantity: number }[]
}

export const redemptions = {
  /** One sale; `idempotencyKey` is the same on every retry of it, so a lost answer never charges twice. */
  redeem: (vid: string, body: RedemptionBody, idempotencyKey: string) =>
    http.post<Redemption>(`/api/villages/${vid}/redemptions`, body, { headers: { 'idempotency-key': idempotencyKey } }),
  /** Opens the printable receipt of a sale. */
  printReceipt: (id: string) => openPrintable(`/api/redemptions/${id}/receipt`),
  /** The sales of a month ('YYYY-MM'), newest first. */
  list: (vid: string, query: { month?: string; limit?: number } = {}) =>
    http.get<Page<Redemption>>(
      `/api/villages/${vid}/redemptions${qs({ month: query.month, limit: query.limit ?? 500 })}`,
    ),
  /** Voids a sale: points back to the household, goods back to stock (a cashier: the same day only). */
  void: (id: string, reason: string) => http.post<Redemption>(`/api/redemptions/${id}/void`, { reason }),
}
