import { Hono } from 'hono'
import { listQuery } from '../../shared/schemas/common.js'
import { awardListQuery, objectionInput, proposeAwardInput, reasonInput } from '../../shared/schemas/awards.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { jsonBody, query } from '../http/validate.js'
import {
  approveAward, getAwardDetail, listAwards, listNotices, proposeAward, recordObjection, rejectAward, withdrawAward,
} from './awards.service.js'
import { addEvidence, getEvidence } from './evidence.js'

export const awardRoutes = new Hono<AppEnv>()
  .post('/villages/:vid/awards', allow('clerk'), scopeBy('villages', 'vid'), async (c) => {
    const input = await jsonBody(c, proposeAwardInput)
    return c.json(await proposeAward(c.var.deps.db, c.var.user, villageOf(c), input), 201)
  })
  .get('/villages/:vid/awards', scopeBy('villages', 'vid'), async (c) => {
    const { limit, cursor } = query(c, listQuery)
    const { status } = query(c, awardListQuery)
    return c.json(await listAwards(c.var.deps.db, villageOf(c), { status, limit, cursor }))
  })
  .get('/villages/:vid/notices', scopeBy('villages', 'vid'), async (c) => c.json(await listNotices(c.var.deps.db, villageOf(c))))
  .get('/awards/:id', scopeBy('awards', 'id'), async (c) => c.json(await getAwardDetail(c.var.deps.db, c.req.param('id'))))
  .post('/awards/:id/approve', allow('approver'), scopeBy('awards', 'id'), async (c) => {
    return c.json(await approveAward(c.var.deps.db, c.var.user, c.req.param('id')))
  })
  .post('/awards/:id/reject', allow('approver'), scopeBy('awards', 'id'), async (c) => {
    const { reason } = await jsonBody(c, reasonInput)
    return c.json(await rejectAward(c.var.deps.db, c.req.param('id'), reason))
  })
  .post('/awards/:id/withdraw', allow('approver'), scopeBy('awards', 'id'), async (c) => {
    const { reason } = await jsonBody(c, reasonInput)
    return c.json(await withdrawAward(c.var.deps.db, c.req.param('id'), reason))
  })
  .post('/awards/:id/objections', scopeBy('awards', 'id'), async (c) => {
    const { text } = await jsonBody(c, objectionInput)
    return c.json(await recordObjection(c.var.deps.db, c.var.user, c.req.param('id'), text), 201)
  })
  .post('/awards/:id/evidence', allow('clerk'), scopeBy('awards', 'id'), async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    return c.json(await addEvidence(c.var.deps.db, c.req.param('id'), bytes), 201)
  })
  .get('/awards/:id/evidence/:eid', scopeBy('awards', 'id'), async (c) => {
    const e = await getEvidence(c.var.deps.db, c.req.param('id'), c.req.param('eid'))
    return c.body(new Uint8Array(e.bytes), 200, { 'content-type': e.mime, 'cache-control': 'private, max-age=86400' })
  })
