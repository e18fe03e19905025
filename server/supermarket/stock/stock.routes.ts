import { Hono } from 'hono'
import { listQuery } from '../../../shared/schemas/common.js'
import { movementListQuery, stockAdjustmentInput, stocktakeInput } from '../../../shared/schemas/supermarket.js'
import { scopeBy, villageOf } from '../../http/access.js'
import type { AppEnv } from '../../http/types.js'
import { json, query } from '../../http/validate.js'
import { keepsStock } from '../keeps-stock.js'
import { adjustStock } from './adjustments.service.js'
import { stockMovements } from './movements.service.js'
import { listStocktakes, recordStocktake } from './stocktakes.service.js'

/** Adjustments, stocktakes and the stock ledger itself. */
export const stockRoutes = new Hono<AppEnv>()
  .post(
    '/villages/:vid/stock/adjustments',
    keepsStock,
    scopeBy('villages', 'vid'),
    json(stockAdjustmentInput),
    async (c) => {
      return c.json(await adjustStock(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('json')), 201)
    },
  )
  .post('/villages/:vid/stock/stocktakes', keepsStock, scopeBy('villages', 'vid'), json(stocktakeInput), async (c) => {
    return c.json(await recordStocktake(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('json')), 201)
  })
  .get('/villages/:vid/stock/stocktakes', scopeBy('villages', 'vid'), query(listQuery), async (c) => {
    return c.json(await listStocktakes(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('query')))
  })
  .get('/villages/:vid/stock/movements', scopeBy('villages', 'vid'), query(movementListQuery), async (c) => {
    return c.json(await stockMovements(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('query')))
  })
