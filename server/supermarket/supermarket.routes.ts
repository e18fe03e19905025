import { type Context, Hono } from 'hono'
import { listQuery } from '../../shared/schemas/common.js'
import {
  createProductInput, idempotencyKey, monthQuery, movementsQuery, productQuery, redemptionInput, redemptionsQuery,
  stockAdjustmentInput, stockReceiptInput, stocktakeInput, updateProductInput, voidInput,
} from '../../shared/schemas/supermarket.js'
import { monthRange } from '../../shared/time.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import { DomainError } from '../core/errors.js'
import type { AppEnv } from '../http/types.js'
import { jsonBody, query } from '../http/validate.js'
import { getVillage } from '../villages/villages.service.js'
import { printable } from '../http/html.js'
import { createProduct, getProduct, listProducts, updateProduct } from './products.service.js'
import { donationReceiptPage, redemptionReceiptPage } from './receipts.js'
import { getRedemption, listRedemptions, redeem, voidRedemption } from './redemptions.service.js'
import {
  adjustStock, getStockReceipt, listStockReceipts, listStocktakes, receiveStock, recordStocktake, stockMovements,
} from './stock.service.js'
import { stockAlerts, supermarketSummary } from './summary.service.js'

/** Goods and stock are kept by the counter (cashier), and by the committee's clerk. */
const keepsStock = allow('cashier', 'clerk')

type C = Context<AppEnv>

/** [start, end) of a 'YYYY-MM' month in the village's time zone, or null for all time. */
async function monthOf(c: C, month: string | undefined) {
  if (!month) return null
  const { timezone } = await getVillage(c.var.deps.db, villageOf(c))
  return monthRange(month, timezone)
}

function requireIdempotencyKey(c: C): string {
  const raw = c.req.header('idempotency-key')
  const parsed = idempotencyKey.safeParse(raw)
  if (!parsed.success) {
    const message = raw === undefined ? 'required: a new key for each sale, the same key when retrying it' : parsed.error.issues[0]!.message
    throw new DomainError('VALIDATION_FAILED', 'the Idempotency-Key header is missing or invalid', [{ field: 'Idempotency-Key', message }])
  }
  return parsed.data
}

export const supermarketRoutes = new Hono<AppEnv>()
  // ---- products
  .post('/villages/:vid/products', keepsStock, scopeBy('villages', 'vid'), async (c) => {
    const input = await jsonBody(c, createProductInput)
    return c.json(await createProduct(c.var.deps.db, villageOf(c), input), 201)
  })
  .get('/villages/:vid/products', scopeBy('villages', 'vid'), async (c) => {
    const { limit, cursor } = query(c, listQuery)
    const q = query(c, productQuery)
    const active = q.active === undefined ? undefined : q.active === 'true'
    return c.json(await listProducts(c.var.deps.db, villageOf(c), { q: q.q, barcode: q.barcode, active, limit, cursor }))
  })
  .get('/products/:id', scopeBy('products', 'id'), async (c) => c.json(await getProduct(c.var.deps.db, villageOf(c), c.req.param('id'))))
  .patch('/products/:id', keepsStock, scopeBy('products', 'id'), async (c) => {
    const input = await jsonBody(c, updateProductInput)
    return c.json(await updateProduct(c.var.deps.db, villageOf(c), c.req.param('id'), input))
  })

  // ---- stock: receipts (donations), adjustments, stocktakes, movements, alerts
  .post('/villages/:vid/stock/receipts', keepsStock, scopeBy('villages', 'vid'), async (c) => {
    const input = await jsonBody(c, stockReceiptInput)
    return c.json(await receiveStock(c.var.deps.db, villageOf(c), c.var.user.id, input), 201)
  })
  .get('/villages/:vid/stock/receipts', scopeBy('villages', 'vid'), async (c) => {
    const { limit, cursor } = query(c, listQuery)
    const { month } = query(c, monthQuery)
    return c.json(await listStockReceipts(c.var.deps.db, villageOf(c), await monthOf(c, month), limit, cursor))
  })
  .get('/villages/:vid/stock/receipts/:rid/print', scopeBy('villages', 'vid'), async (c) =>
    printable(c, await donationReceiptPage(c.var.deps.db, villageOf(c), c.req.param('rid'))))
  .get('/stock/receipts/:id', scopeBy('stock_receipts', 'id'), async (c) =>
    c.json(await getStockReceipt(c.var.deps.db, villageOf(c), c.req.param('id'))))
  .get('/stock/receipts/:id/print', scopeBy('stock_receipts', 'id'), async (c) =>
    printable(c, await donationReceiptPage(c.var.deps.db, villageOf(c), c.req.param('id'))))
  .post('/villages/:vid/stock/adjustments', keepsStock, scopeBy('villages', 'vid'), async (c) => {
    const input = await jsonBody(c, stockAdjustmentInput)
    return c.json(await adjustStock(c.var.deps.db, villageOf(c), c.var.user.id, input), 201)
  })
  .post('/villages/:vid/stock/stocktakes', keepsStock, scopeBy('villages', 'vid'), async (c) => {
    const input = await jsonBody(c, stocktakeInput)
    return c.json(await recordStocktake(c.var.deps.db, villageOf(c), c.var.user.id, input), 201)
  })
  .get('/villages/:vid/stock/stocktakes', scopeBy('villages', 'vid'), async (c) => {
    const { limit, cursor } = query(c, listQuery)
    return c.json(await listStocktakes(c.var.deps.db, villageOf(c), limit, cursor))
  })
  .get('/villages/:vid/stock/movements', scopeBy('villages', 'vid'), async (c) => {
    const { limit, cursor } = query(c, listQuery)
    const q = query(c, movementsQuery)
    const range = await monthOf(c, q.month)
    return c.json(await stockMovements(c.var.deps.db, villageOf(c), { range, productId: q.productId, kind: q.kind, limit, cursor }))
  })
  .get('/villages/:vid/stock/alerts', scopeBy('villages', 'vid'), async (c) => c.json(await stockAlerts(c.var.deps.db, villageOf(c))))
  .get('/villages/:vid/supermarket/summary', scopeBy('villages', 'vid'), async (c) =>
    c.json(await supermarketSummary(c.var.deps.db, villageOf(c))))

  // ---- redemptions
  .post('/villages/:vid/redemptions', allow('cashier'), scopeBy('villages', 'vid'), async (c) => {
    const key = requireIdempotencyKey(c)
    const input = await jsonBody(c, redemptionInput)
    const { db, secrets } = c.var.deps
    const outcome = await redeem(db, { cardKey: secrets.cardKey }, villageOf(c), c.var.user, key, input)
    if (outcome.replayed) c.header('Idempotency-Replayed', 'true')
    return c.json(outcome.body, outcome.status as 201)
  })
  .get('/villages/:vid/redemptions', scopeBy('villages', 'vid'), async (c) => {
    const { limit, cursor } = query(c, listQuery)
    const q = query(c, redemptionsQuery)
    const range = await monthOf(c, q.month)
    return c.json(await listRedemptions(c.var.deps.db, villageOf(c), { range, householdId: q.householdId, limit, cursor }))
  })
  .get('/redemptions/:id', scopeBy('redemptions', 'id'), async (c) =>
    c.json(await getRedemption(c.var.deps.db, villageOf(c), c.req.param('id'))))
  .get('/redemptions/:id/receipt', scopeBy('redemptions', 'id'), async (c) =>
    printable(c, await redemptionReceiptPage(c.var.deps.db, villageOf(c), c.req.param('id'))))
  .post('/redemptions/:id/void', allow('cashier', 'approver'), scopeBy('redemptions', 'id'), async (c) => {
    const { reason } = await jsonBody(c, voidInput)
    return c.json(await voidRedemption(c.var.deps.db, villageOf(c), c.var.user, c.req.param('id'), reason))
  })
