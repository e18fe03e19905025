import type { Product } from '../../shared/types/supermarket.js'

/** A cart line as the counter shows it. */
export interface CartLine {
  product: Product
  quantity: number
  points: number
}

export type Cart = Record<string, number> // productId → quantity

export function cartLines(cart: Cart, products: Product[]): CartLine[] {
  const byId = new Map(products.map((p) => [p.id, p]))
  const lines: CartLine[] = []
  for (const [id, quantity] of Object.entries(cart)) {
    const product = byId.get(id)
    if (product && quantity > 0) lines.push({ product, quantity, points: product.pointsPrice * quantity })
  }
  return lines
}

export const cartTotal = (lines: CartLine[]) => lines.reduce((sum, l) => sum + l.points, 0)

export interface Shortage {
  /** Points missing to pay for the cart; 0 when the balance covers it. */
  points: number
  /** Lines asking for more than the shelf holds. */
  stock: { name: string; stock: number }[]
}

/** What stands in the way of this checkout, told before the cashier confirms. */
export function shortage(lines: CartLine[], balance: number): Shortage {
  return {
    points: Math.max(0, cartTotal(lines) - balance),
    stock: lines
      .filter((l) => l.quantity > l.product.stock)
      .map((l) => ({ name: l.product.name, stock: l.product.stock })),
  }
}

export function addToCart(cart: Cart, productId: string, delta = 1): Cart {
  const quantity = Math.max(0, (cart[productId] ?? 0) + delta)
  const next = { ...cart }
  if (quantity === 0) delete next[productId]
  else next[productId] = quantity
  return next
}

/** The product a scanned code names, by barcode or SKU. */
export function productForCode(products: Product[], code: string): Product | undefined {
  return products.find((p) => p.barcode === code) ?? products.find((p) => p.sku === code)
}
