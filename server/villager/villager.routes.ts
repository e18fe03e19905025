import { Hono } from 'hono'
import { objectionInput } from '../../shared/schemas/awards.js'
import { claimInput, meLedgerQuery, villagerLoginInput } from '../../shared/schemas/villager.js'
import { CARD_RESOLVE_LIMIT, rateLimitBy } from '../http/rate-limit.js'
import { json, query } from '../http/validate.js'
import { myClaims, submitClaim } from './claims.service.js'
import { myAccount, myEvidence, myLedger, myNotices, myRules, myShop, objectAsHousehold } from './me.service.js'
import { clientAddress, requireVillager, type VillagerEnv, villagerLogin, villagerLogout } from './villager-auth.js'

/**
 * The villager's own phone: sign in with the card (and PIN), then /api/me/* for that one household. Mounted
 * before the staff login check, with its own middleware: a staff login never opens these, and a villager's
 * token never opens anything else (requireLogin refuses it). Each service takes (db, villager, …).
 */
export const villagerRoutes = new Hono<VillagerEnv>()
  .post('/villager/login', rateLimitBy(CARD_RESOLVE_LIMIT, clientAddress), json(villagerLoginInput), async (c) => {
    const { cardCode, pin } = c.req.valid('json')
    const { db, secrets } = c.var.deps
    return c.json(await villagerLogin(db, secrets, cardCode, pin ?? undefined))
  })
  .use('/me', requireVillager)
  .use('/me/*', requireVillager)
  .get('/me', async (c) => c.json(await myAccount(c.var.deps.db, c.var.villager)))
  .post('/me/logout', async (c) => {
    await villagerLogout(c.var.deps.db, c.var.villager)
    return c.body(null, 204)
  })
  .get('/me/ledger', query(meLedgerQuery), async (c) =>
    c.json(await myLedger(c.var.deps.db, c.var.villager, c.req.valid('query').month)),
  )
  .get('/me/evidence/:eid', async (c) => {
    const e = await myEvidence(c.var.deps.db, c.var.villager, c.req.param('eid'))
    return c.body(new Uint8Array(e.bytes), 200, { 'content-type': e.mime, 'cache-control': 'private, max-age=86400' })
  })
  .get('/me/notices', async (c) => c.json(await myNotices(c.var.deps.db, c.var.villager)))
  .post('/me/notices/:id/objections', json(objectionInput), async (c) =>
    c.json(await objectAsHousehold(c.var.deps.db, c.var.villager, c.req.param('id'), c.req.valid('json').text), 201),
  )
  .get('/me/claims', async (c) => c.json(await myClaims(c.var.deps.db, c.var.villager)))
  .post('/me/claims', json(claimInput), async (c) =>
    c.json(await submitClaim(c.var.deps.db, c.var.villager, c.req.valid('json')), 201),
  )
  .get('/me/products', async (c) => c.json(await myShop(c.var.deps.db, c.var.villager)))
  .get('/me/rules', async (c) => c.json(await myRules(c.var.deps.db, c.var.villager)))
