import { Hono } from 'hono'
import { z } from 'zod'
import { adjustmentInput, reasonInput } from '../../shared/schemas/awards.js'
import { month } from '../../shared/schemas/common.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { jsonBody, query } from '../http/validate.js'
import { adjustBalance, reverseEntry } from './corrections.js'
import { householdLedger } from './ledger-read.js'
import { verifyLedger } from './verify.js'

export const ledgerRoutes = new Hono<AppEnv>()
  .get('/households/:hid/ledger', scopeBy('households', 'hid'), async (c) => {
    const q = query(c, z.object({ month: month.optional() }))
    return c.json(await householdLedger(c.var.deps.db, c.var.user, c.req.param('hid'), q.month))
  })
  .post('/households/:hid/adjustments', allow('approver'), scopeBy('households', 'hid'), async (c) => {
    const { amount, reason } = await jsonBody(c, adjustmentInput)
    return c.json(await adjustBalance(c.var.deps.db, c.var.user.id, villageOf(c), c.req.param('hid'), amount, reason), 201)
  })
  .post('/ledger/:entryId/reverse', allow('approver'), scopeBy('ledger_entries', 'entryId'), async (c) => {
    const { reason } = await jsonBody(c, reasonInput)
    return c.json(await reverseEntry(c.var.deps.db, c.var.user.id, c.req.param('entryId'), reason), 201)
  })
  .get('/villages/:vid/ledger/verify', scopeBy('villages', 'vid'), async (c) => c.json(await verifyLedger(c.var.deps.db, villageOf(c))))
