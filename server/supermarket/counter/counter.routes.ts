import { Hono } from 'hono'
import { conflictsQuery, counterReport, settleConflictInput, syncInput } from '../../../shared/schemas/counter.js'
import { allow, scopeBy, villageOf } from '../../http/access.js'
import type { AppEnv } from '../../http/types.js'
import { json, query } from '../../http/validate.js'
import { listConflicts, settleConflict, syncOfflineSales } from '../redemptions/offline-sync.service.js'
import { counterSnapshot, listCounters, reportCounter } from './snapshot.service.js'

/** The counter offline: its snapshot, its sales coming home, their conflicts, and the counters' queues. */
export const counterRoutes = new Hono<AppEnv>()
  .get(
    '/villages/:vid/counter/snapshot',
    allow('cashier'),
    scopeBy('villages', 'vid'),
    query(counterReport),
    async (c) => {
      const { db, secrets } = c.var.deps
      await reportCounter(db, c.var.user, villageOf(c), c.req.valid('query'))
      return c.json(await counterSnapshot(db, c.var.user, villageOf(c), secrets.cardKey))
    },
  )
  .post(
    '/villages/:vid/counter/heartbeat',
    allow('cashier'),
    scopeBy('villages', 'vid'),
    json(counterReport),
    async (c) => {
      await reportCounter(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('json'))
      return c.json({ ok: true })
    },
  )
  .get(
    '/villages/:vid/counters',
    allow('cashier', 'clerk', 'approver', 'auditor'),
    scopeBy('villages', 'vid'),
    async (c) => c.json({ items: await listCounters(c.var.deps.db, c.var.user, villageOf(c)), nextCursor: null }),
  )
  .post('/villages/:vid/redemptions/sync', allow('cashier'), scopeBy('villages', 'vid'), json(syncInput), async (c) => {
    const { db, secrets } = c.var.deps
    return c.json({
      results: await syncOfflineSales(db, c.var.user, villageOf(c), c.req.valid('json'), { cardKey: secrets.cardKey }),
    })
  })
  .get(
    '/villages/:vid/redemptions/conflicts',
    allow('approver', 'cashier', 'auditor'),
    scopeBy('villages', 'vid'),
    query(conflictsQuery),
    async (c) => c.json(await listConflicts(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('query'))),
  )
  .post(
    '/redemption-conflicts/:id/settle',
    allow('approver'),
    scopeBy('redemption_conflicts', 'id'),
    json(settleConflictInput),
    async (c) => c.json(await settleConflict(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json'))),
  )
