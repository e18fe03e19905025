import { Hono } from 'hono'
import { scopeBy, villageOf } from '../../http/access.js'
import { onReportingDb } from '../../http/reporting.js'
import type { AppEnv } from '../../http/types.js'
import { boardQuery } from '../../../shared/schemas/exports.js'
import { query } from '../../http/validate.js'
import { redemptionsByCategory, stockAlerts, supermarketSummary } from './summary.service.js'

/** The shelf alerts and the supermarket at a glance. */
export const summaryRoutes = new Hono<AppEnv>()
  .get('/villages/:vid/stock/alerts', scopeBy('villages', 'vid'), async (c) =>
    c.json(await stockAlerts(c.var.deps.db, c.var.user, villageOf(c))),
  )
  .get('/villages/:vid/supermarket/summary', scopeBy('villages', 'vid'), async (c) =>
    c.json(await onReportingDb(c, (db) => supermarketSummary(db, c.var.user, villageOf(c)))),
  )
  .get('/villages/:vid/supermarket/by-category', scopeBy('villages', 'vid'), query(boardQuery), async (c) =>
    c.json(
      await onReportingDb(c, (db) => redemptionsByCategory(db, c.var.user, villageOf(c), c.req.valid('query').month)),
    ),
  )
