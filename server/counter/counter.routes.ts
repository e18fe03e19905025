import { Hono } from 'hono'
import { conflictsQuery, counterReport, settleConflictInput, syncInput } from '../../shared/schemas/counter.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { jsonBody, query } from '../http/validate.js'
import { listConflicts, settleConflict, syncOfflineSales } from './offline-sales.service.js'
import { counterSnapshot, listCounters, reportCounter } from './snapshot.service.js'

/** The counter offline: its snapshot, its sales coming home, their conflicts, and the counters' queues. */
export const counterRoutes = new Hono<AppEnv>()
  .get('/villages/:vid/counter/snapshot', allow('cashier'), scopeBy('villages', 'vid'), async (c) => {
    const report = query(c, counterReport)
    const { db, secrets } = c.var.deps
    await reportCounter(db, villageOf(c), c.var.user, report)
    return c.json(await counterSnapshot(db, secrets.cardKey, villageOf(c)))
  })
  .post('/villages/:vid/counter/heartbeat', allow('cashier'), scopeBy('villages', 'vid'), async (c) => {
    const report = await jsonBody(c, counterReport)
    await reportCounter(c.var.deps.db, villageOf(c), c.var.user, report)
    return c.json({ ok: true })
  })
  .get('/villages/:vid/counters', allow('cashier', 'clerk', 'approver', 'auditor'), scopeBy('villages', 'vid'), async (c) =>
    c.json({ items: await listCounters(c.var.deps.db, villageOf(c)), nextCursor: null }))
  .post('/villages/:vid/redemptions/sync', allow('cashier'), scopeBy('villages', 'vid'), async (c) => {
    const input = await jsonBody(c, syncInput)
    const { db, secrets } = c.var.deps
    return c.json({ results: await syncOfflineSales(db, { cardKey: secrets.cardKey }, villageOf(c), c.var.user, input) })
  })
  .get('/villages/:vid/redemptions/conflicts', allow('approver', 'cashier', 'auditor'), scopeBy('villages', 'vid'), async (c) =>
    c.json(await listConflicts(c.var.deps.db, villageOf(c), query(c, conflictsQuery))))
  .post('/redemption-conflicts/:id/settle', allow('approver'), scopeBy('redemption_conflicts', 'id'), async (c) => {
    const input = await jsonBody(c, settleConflictInput)
    return c.json(await settleConflict(c.var.deps.db, villageOf(c), c.var.user, c.req.param('id'), input))
  })
