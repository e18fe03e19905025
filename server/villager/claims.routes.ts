import { Hono } from 'hono'
import { listQuery } from '../../shared/schemas/common.js'
import { acceptClaimInput, claimListQuery, declineClaimInput } from '../../shared/schemas/villager.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { jsonBody, query } from '../http/validate.js'
import { acceptClaim, claimPhoto, declineClaim, listClaims } from './claims.service.js'

/** The committee's side of 申报: the clerk answers; approvers and auditors read along. */
export const claimRoutes = new Hono<AppEnv>()
  .get('/villages/:vid/claims', allow('clerk', 'approver', 'auditor'), scopeBy('villages', 'vid'), async (c) => {
    const { limit, cursor } = query(c, listQuery)
    const { status } = query(c, claimListQuery)
    return c.json(await listClaims(c.var.deps.db, villageOf(c), { status, limit, cursor }))
  })
  .get('/claims/:id/photo', allow('clerk', 'approver', 'auditor'), scopeBy('claims', 'id'), async (c) => {
    const p = await claimPhoto(c.var.deps.db, villageOf(c), c.req.param('id'))
    return c.body(new Uint8Array(p.bytes), 200, { 'content-type': p.mime, 'cache-control': 'private, max-age=86400' })
  })
  .post('/claims/:id/accept', allow('clerk'), scopeBy('claims', 'id'), async (c) => {
    const input = await jsonBody(c, acceptClaimInput)
    return c.json(await acceptClaim(c.var.deps.db, c.var.user, villageOf(c), c.req.param('id'), input))
  })
  .post('/claims/:id/decline', allow('clerk'), scopeBy('claims', 'id'), async (c) => {
    const { reply } = await jsonBody(c, declineClaimInput)
    return c.json(await declineClaim(c.var.deps.db, c.var.user, villageOf(c), c.req.param('id'), reply))
  })
