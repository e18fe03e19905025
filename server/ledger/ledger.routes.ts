import { Hono } from 'hono'
import { adjustmentInput, adjustmentListQuery, ledgerQuery, reasonInput } from '../../shared/schemas/awards.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import { onReportingDb } from '../http/reporting.js'
import type { AppEnv } from '../http/types.js'
import { json, query } from '../http/validate.js'
import { reverseEntry } from './corrections.js'
import { approveAdjustment, listAdjustments, proposeAdjustment, rejectAdjustment } from './adjustments.js'
import { householdLedger } from './ledger-read.js'
import { verifyLedger, verifyWithCheckpoints } from './verify.js'
import { takeCheckpoint } from './checkpoint.js'
import { balanceMismatches } from './ledger.service.js'
import { verifyWithCheckpointsInput } from '../../shared/schemas/ledger.js'

export const ledgerRoutes = new Hono<AppEnv>()
  .get('/households/:hid/ledger', scopeBy('households', 'hid'), query(ledgerQuery), async (c) => {
    return c.json(await householdLedger(c.var.deps.db, c.var.user, c.req.param('hid'), c.req.valid('query').month))
  })
  .post(
    '/households/:hid/adjustments',
    allow('approver'),
    scopeBy('households', 'hid'),
    json(adjustmentInput),
    async (c) => {
      const { amount, reason } = c.req.valid('json')
      return c.json(await proposeAdjustment(c.var.deps.db, c.var.user, c.req.param('hid'), amount, reason), 201)
    },
  )
  // A second approver decides (API.md): only then does the ledger move.
  .post('/adjustments/:id/approve', allow('approver'), scopeBy('adjustments', 'id'), async (c) =>
    c.json(await approveAdjustment(c.var.deps.db, c.var.user, c.req.param('id'))),
  )
  .post('/adjustments/:id/reject', allow('approver'), scopeBy('adjustments', 'id'), json(reasonInput), async (c) =>
    c.json(await rejectAdjustment(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json').reason)),
  )
  .get('/villages/:vid/adjustments', scopeBy('villages', 'vid'), query(adjustmentListQuery), async (c) =>
    c.json(await listAdjustments(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('query').status)),
  )
  .post(
    '/ledger/:entryId/reverse',
    allow('approver'),
    scopeBy('ledger_entries', 'entryId'),
    json(reasonInput),
    async (c) => {
      return c.json(
        await reverseEntry(c.var.deps.db, c.var.user, c.req.param('entryId'), c.req.valid('json').reason),
        201,
      )
    },
  )
  .get('/villages/:vid/ledger/verify', scopeBy('villages', 'vid'), async (c) =>
    c.json(await onReportingDb(c, (db) => verifyLedger(db, c.var.user, villageOf(c), c.var.deps.workers))),
  )
  .get('/villages/:vid/ledger/checkpoint', scopeBy('villages', 'vid'), async (c) =>
    c.json(await takeCheckpoint(c.var.deps.db, c.var.user, c.var.deps.secrets.checkpointKey, villageOf(c))),
  )
  .post('/villages/:vid/ledger/verify', scopeBy('villages', 'vid'), json(verifyWithCheckpointsInput), async (c) => {
    const { checkpoints } = c.req.valid('json')
    return c.json(
      await onReportingDb(c, (db) =>
        verifyWithCheckpoints(db, c.var.user, villageOf(c), checkpoints, c.var.deps.secrets.checkpointKey.publicKey),
      ),
    )
  })
  // The dashboard's integrity alarm: households whose kept balance differs from their ledger.
  .get('/villages/:vid/ledger/balance-check', scopeBy('villages', 'vid'), async (c) => {
    const mismatches = await balanceMismatches(c.var.deps.db, c.var.user, villageOf(c))
    return c.json({ ok: mismatches.length === 0, mismatches })
  })
