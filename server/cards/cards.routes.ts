import { Hono } from 'hono'
import { printCardsQuery, resolveCardInput } from '../../shared/schemas/cards.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import { printable } from '../http/html.js'
import type { AppEnv } from '../http/types.js'
import { json, query } from '../http/validate.js'
import { renderCardSheet } from './card-sheet.js'
import {
  activeCardSvg,
  cardsForPrinting,
  householdsForPrinting,
  issueCard,
  listCards,
  resolveCard,
  revokeCard,
} from './cards.service.js'

export const cardRoutes = new Hono<AppEnv>()
  .post('/households/:hid/cards', allow('clerk'), scopeBy('households', 'hid'), async (c) => {
    const { db, secrets } = c.var.deps
    return c.json(await issueCard(db, c.var.user, c.req.param('hid'), secrets.cardKey, c.var.deps.publicUrl), 201)
  })
  .get('/households/:hid/cards', scopeBy('households', 'hid'), async (c) =>
    c.json(await listCards(c.var.deps.db, c.var.user, c.req.param('hid'))),
  )
  .post('/cards/:cardId/revoke', allow('clerk'), scopeBy('cards', 'cardId'), async (c) =>
    c.json(await revokeCard(c.var.deps.db, c.var.user, c.req.param('cardId'))),
  )
  .get('/cards/:cardId/svg', allow('clerk'), scopeBy('cards', 'cardId'), async (c) => {
    const { db, secrets } = c.var.deps
    const svg = await activeCardSvg(db, c.var.user, c.req.param('cardId'), secrets.cardKey, c.var.deps.publicUrl)
    return c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'no-store' })
  })
  .post(
    '/villages/:vid/cards/resolve',
    allow('cashier', 'clerk', 'approver', 'auditor'),
    scopeBy('villages', 'vid'),
    json(resolveCardInput),
    async (c) => {
      const { db, secrets } = c.var.deps
      c.set('readOnly', true)
      return c.json(await resolveCard(db, c.var.user, villageOf(c), c.req.valid('json').code, secrets.cardKey))
    },
  )
  .get('/villages/:vid/cards/print', allow('clerk'), scopeBy('villages', 'vid'), query(printCardsQuery), async (c) => {
    c.set('auditGet', true) // printing issues a card to any household that has none
    const { db, secrets } = c.var.deps
    const q = c.req.valid('query')
    const ids = q.householdIds ?? (await householdsForPrinting(db, c.var.user, villageOf(c), q.scope!))
    const { villageName, cards } = await cardsForPrinting(
      db,
      c.var.user,
      villageOf(c),
      ids,
      secrets.cardKey,
      c.var.deps.publicUrl,
    )
    return printable(c, await renderCardSheet(villageName, cards))
  })
