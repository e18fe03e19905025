import { Hono } from 'hono'
import { z } from 'zod'
import { month } from '../../shared/schemas/common.js'
import { scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { query } from '../http/validate.js'
import { getVillage } from '../villages/villages.service.js'
import { householdLedger } from './ledger-read.js'
import { verifyLedger } from './verify.js'

export const ledgerRoutes = new Hono<AppEnv>()
  .get('/households/:hid/ledger', scopeBy('households', 'hid'), async (c) => {
    const q = query(c, z.object({ month: month.optional() }))
    const village = await getVillage(c.var.deps.db, villageOf(c))
    return c.json(await householdLedger(c.var.deps.db, c.req.param('hid'), q.month, village.timezone))
  })
  .get('/villages/:vid/ledger/verify', scopeBy('villages', 'vid'), async (c) => c.json(await verifyLedger(c.var.deps.db, villageOf(c))))
