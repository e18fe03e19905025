import { Hono } from 'hono'
import { adjustmentInput, ledgerQuery, reasonInput } from '../../shared/schemas/awards.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import { reportingDb } from '../http/reporting.js'
import type { AppEnv } from '../http/types.js'
import { json, query } from '../http/validate.js'
import { adjustBalance, reverseEntry } from './corrections.js'
import { householdLedger } from './ledger-read.js'
import { verifyLedger } from './verify.js'

export const ledgerRoutes = new Hono<AppEnv>()
  .get('/households/:hid/ledger', scopeBy('households', 'hid'), query(ledgerQuery), async (c) => {
    return c.json(await householdLedger(c.var.deps.db, c.var.user, c.req.param('hid'), c.req.valid('query').month))
  })
  .post('/households/:hid/adjustments', allow('approver'), scopeBy('households', 'hid'), json(adjustmentInput), async (c) => {
    const { amount, reason } = c.req.valid('json')
    return c.json(await adjustBalance(c.var.deps.db, c.var.user, c.req.param('hid'), amount, reason), 201)
  })
  .post('/ledger/:entryId/reverse', allow('approver'), scopeBy('ledger_entries', 'entryId'), json(reasonInput), async (c) => {
    return c.json(await reverseEntry(c.var.deps.db, c.var.user, c.req.param('entryId'), c.req.valid('json').reason), 201)
  })
  .get('/villages/:vid/ledger/verify', scopeBy('villages', 'vid'), async (c) => c.json(await verifyLedger(await reportingDb(c), c.var.user, villageOf(c), c.var.deps.workers)))
