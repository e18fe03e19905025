import { Hono } from 'hono'
import {
  approveAwardInput,
  awardPageQuery,
  objectionInput,
  proposeAwardInput,
  reasonInput,
} from '../../shared/schemas/awards.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { json, query } from '../http/validate.js'
import {
  approveAward,
  getAwardDetail,
  listAwards,
  listNotices,
  proposeAward,
  recordObjection,
  rejectAward,
  withdrawAward,
} from './awards.service.js'
import { addEvidence, getEvidence } from './evidence.js'

export const awardRoutes = new Hono<AppEnv>()
  .post('/villages/:vid/awards', allow('clerk'), scopeBy('villages', 'vid'), json(proposeAwardInput), async (c) => {
    return c.json(await proposeAward(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('json')), 201)
  })
  .get('/villages/:vid/awards', scopeBy('villages', 'vid'), query(awardPageQuery), async (c) => {
    return c.json(await listAwards(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('query')))
  })
  .get('/villages/:vid/notices', scopeBy('villages', 'vid'), async (c) =>
    c.json(await listNotices(c.var.deps.db, c.var.user, villageOf(c))),
  )
  .get('/awards/:id', scopeBy('awards', 'id'), async (c) =>
    c.json(await getAwardDetail(c.var.deps.db, c.var.user, c.req.param('id'))),
  )
  .post('/awards/:id/approve', allow('approver'), scopeBy('awards', 'id'), json(approveAwardInput), async (c) => {
    return c.json(await approveAward(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json')))
  })
  .post('/awards/:id/reject', allow('approver'), scopeBy('awards', 'id'), json(reasonInput), async (c) => {
    return c.json(await rejectAward(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json').reason))
  })
  .post('/awards/:id/withdraw', allow('approver'), scopeBy('awards', 'id'), json(reasonInput), async (c) => {
    return c.json(await withdrawAward(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json').reason))
  })
  .post('/awards/:id/objections', scopeBy('awards', 'id'), json(objectionInput), async (c) => {
    return c.json(await recordObjection(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json').text), 201)
  })
  .post('/awards/:id/evidence', allow('clerk'), scopeBy('awards', 'id'), async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    return c.json(await addEvidence(c.var.deps.db, c.var.user, c.req.param('id'), bytes), 201)
  })
  .get('/awards/:id/evidence/:eid', scopeBy('awards', 'id'), async (c) => {
    const e = await getEvidence(c.var.deps.db, c.var.user, c.req.param('id'), c.req.param('eid'))
    return c.body(new Uint8Array(e.bytes), 200, { 'content-type': e.mime, 'cache-control': 'private, max-age=86400' })
  })
