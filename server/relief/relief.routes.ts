import { Hono } from 'hono'
import { reliefInput, reliefListQuery } from '../../shared/schemas/relief.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import { printable } from '../http/html.js'
import type { AppEnv } from '../http/types.js'
import { json, query } from '../http/validate.js'
import { reliefSheetPage } from './relief-sheet.js'
import { getRelief, giveRelief, listRelief } from './relief.service.js'

/*
 * The relief shelf (阳光超市, issue 18). API.md fixes the first; the others follow its style:
 * - POST /api/villages/:vid/relief {items, householdIds | tag, note} (cashier, clerk) → 201 the distribution
 * - GET  /api/villages/:vid/relief?month=&limit=&cursor= → {items, nextCursor}, newest first
 * - GET  /api/relief/:id → the distribution with every household given to
 * - GET  /api/relief/:id/sheet → the printable sign-off sheet (签领表, A4)
 * The monthly relief report is with the other reports: server/exports/relief-report.routes.ts.
 */
export const reliefRoutes = new Hono<AppEnv>()
  .post('/villages/:vid/relief', allow('cashier', 'clerk'), scopeBy('villages', 'vid'), json(reliefInput), async (c) =>
    c.json(await giveRelief(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('json')), 201),
  )
  .get('/villages/:vid/relief', scopeBy('villages', 'vid'), query(reliefListQuery), async (c) =>
    c.json(await listRelief(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('query'))),
  )
  .get('/relief/:id', scopeBy('relief_distributions', 'id'), async (c) =>
    c.json(await getRelief(c.var.deps.db, c.var.user, c.req.param('id'))),
  )
  .get('/relief/:id/sheet', scopeBy('relief_distributions', 'id'), async (c) =>
    printable(c, await reliefSheetPage(c.var.deps.db, c.var.user, c.req.param('id'))),
  )
