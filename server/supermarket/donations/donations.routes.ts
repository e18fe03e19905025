import { Hono } from 'hono'
import { receiptListQuery, stockReceiptInput } from '../../../shared/schemas/supermarket.js'
import { scopeBy, villageOf } from '../../http/access.js'
import { printable } from '../../http/html.js'
import type { AppEnv } from '../../http/types.js'
import { json, query } from '../../http/validate.js'
import { keepsStock } from '../keeps-stock.js'
import { donationReceiptPage } from './donation-receipt.js'
import { getStockReceipt, listStockReceipts, receiveStock } from './receipts.service.js'

/** Goods in (stock receipts, mostly donations) and their printed receipt. */
export const donationRoutes = new Hono<AppEnv>()
  .post('/villages/:vid/stock/receipts', keepsStock, scopeBy('villages', 'vid'), json(stockReceiptInput), async (c) => {
    return c.json(await receiveStock(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('json')), 201)
  })
  .get('/villages/:vid/stock/receipts', scopeBy('villages', 'vid'), query(receiptListQuery), async (c) => {
    return c.json(await listStockReceipts(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('query')))
  })
  .get('/villages/:vid/stock/receipts/:rid/print', scopeBy('villages', 'vid'), async (c) =>
    printable(c, await donationReceiptPage(c.var.deps.db, c.var.user, c.req.param('rid'), villageOf(c))),
  )
  .get('/stock/receipts/:id', scopeBy('stock_receipts', 'id'), async (c) =>
    c.json(await getStockReceipt(c.var.deps.db, c.var.user, c.req.param('id'))),
  )
  .get('/stock/receipts/:id/print', scopeBy('stock_receipts', 'id'), async (c) =>
    printable(c, await donationReceiptPage(c.var.deps.db, c.var.user, c.req.param('id'))),
  )
