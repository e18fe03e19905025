import { Hono } from 'hono'
import { scopeBy, villageOf } from '../../http/access.js'
import { reportingDb } from '../../http/reporting.js'
import type { AppEnv } from '../../http/types.js'
import { stockAlerts, supermarketSummary } from './summary.service.js'

/** The shelf alerts and the supermarket at a glance. */
export const summaryRoutes = new Hono<AppEnv>()
  .get('/villages/:vid/stock/alerts', scopeBy('villages', 'vid'), async (c) => c.json(await stockAlerts(c.var.deps.db, c.var.user, villageOf(c))))
  .get('/villages/:vid/supermarket/summary', scopeBy('villages', 'vid'), async (c) =>
    c.json(await supermarketSummary(await reportingDb(c), c.var.user, villageOf(c))))
