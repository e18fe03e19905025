import { Hono } from 'hono'
import { validator } from 'hono/validator'
import { idempotencyKey, redemptionInput, redemptionListQuery, voidInput } from '../../../shared/schemas/supermarket.js'
import { DomainError } from '../../core/errors.js'
import { allow, scopeBy, villageOf } from '../../http/access.js'
import { printable } from '../../http/html.js'
import type { AppEnv } from '../../http/types.js'
import { json, query } from '../../http/validate.js'
import { getRedemption, listRedemptions } from './read.service.js'
import { redeem } from './redeem.service.js'
import { redemptionReceiptPage } from './redemption-receipt.js'
import { voidRedemption } from './void.service.js'

/** The Idempotency-Key header every sale carries: `c.req.valid('header').key`. */
const idempotencyKeyHeader = validator('header', (_value, c) => {
  const raw = c.req.header('idempotency-key')
  const parsed = idempotencyKey.safeParse(raw)
  if (!parsed.success) {
    const message =
      raw === undefined
        ? 'required: a new key for each sale, the same key when retrying it'
        : parsed.error.issues[0]!.message
    throw new DomainError('VALIDATION_FAILED', 'the Idempotency-Key header is missing or invalid', [
      { field: 'Idempotency-Key', message },
    ])
  }
  return { key: parsed.data }
})

export const redemptionRoutes = new Hono<AppEnv>()
  .post(
    '/villages/:vid/redemptions',
    allow('cashier'),
    scopeBy('villages', 'vid'),
    idempotencyKeyHeader,
    json(redemptionInput),
    async (c) => {
      const { db, secrets } = c.var.deps
      const outcome = await redeem(db, c.var.user, villageOf(c), c.req.valid('header').key, c.req.valid('json'), {
        cardKey: secrets.cardKey,
      })
      if (outcome.replayed) c.header('Idempotency-Replayed', 'true')
      return c.json(outcome.body, outcome.status as 201)
    },
  )
  .get('/villages/:vid/redemptions', scopeBy('villages', 'vid'), query(redemptionListQuery), async (c) => {
    return c.json(await listRedemptions(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('query')))
  })
  .get('/redemptions/:id', scopeBy('redemptions', 'id'), async (c) =>
    c.json(await getRedemption(c.var.deps.db, c.var.user, c.req.param('id'))),
  )
  .get('/redemptions/:id/receipt', scopeBy('redemptions', 'id'), async (c) =>
    printable(c, await redemptionReceiptPage(c.var.deps.db, c.var.user, c.req.param('id'))),
  )
  .post(
    '/redemptions/:id/void',
    allow('cashier', 'approver'),
    scopeBy('redemptions', 'id'),
    json(voidInput),
    async (c) => {
      return c.json(await voidRedemption(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json').reason))
    },
  )
