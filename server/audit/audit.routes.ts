import { Hono } from 'hono'
import { listQuery } from '../../shared/schemas/common.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { query } from '../http/validate.js'
import { listAudit } from './audit.service.js'

export const auditRoutes = new Hono<AppEnv>().get('/villages/:vid/audit', allow('auditor'), scopeBy('villages', 'vid'), async (c) => {
  const { limit, cursor } = query(c, listQuery)
  await c.var.deps.audit.flush()
  return c.json(await listAudit(c.var.deps.db, villageOf(c), limit, cursor))
})
