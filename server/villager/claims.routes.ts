import { Hono } from 'hono'
import { acceptClaimInput, claimListQuery, declineClaimInput } from '../../shared/schemas/villager.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { json, query } from '../http/validate.js'
import { acceptClaim, claimPhoto, declineClaim, listClaims } from './claims.service.js'

/** The committee's side of 申报: the clerk answers; approvers and auditors read along. */
export const claimRoutes = new Hono<AppEnv>()
  .get(
    '/villages/:vid/claims',
    allow('clerk', 'approver', 'auditor'),
    scopeBy('villages', 'vid'),
    query(claimListQuery),
    async (c) => {
      const { status, limit, cursor } = c.req.valid('query')
      return c.json(await listClaims(c.var.deps.db, c.var.user, villageOf(c), { status, limit, cursor }))
    },
  )
  .get('/claims/:id/photo', allow('clerk', 'approver', 'auditor'), scopeBy('claims', 'id'), async (c) => {
    const p = await claimPhoto(c.var.deps.db, c.var.user, c.req.param('id'))
    return c.body(new Uint8Array(p.bytes), 200, { 'content-type': p.mime, 'cache-control': 'private, max-age=86400' })
  })
  .post('/claims/:id/accept', allow('clerk'), scopeBy('claims', 'id'), json(acceptClaimInput), async (c) =>
    c.json(await acceptClaim(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json'))),
  )
  .post('/claims/:id/decline', allow('clerk'), scopeBy('claims', 'id'), json(declineClaimInput), async (c) =>
    c.json(await declineClaim(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json').reply)),
  )
