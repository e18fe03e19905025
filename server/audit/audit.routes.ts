import { Hono } from 'hono'
import { listQuery } from '../../shared/schemas/common.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { query } from '../http/validate.js'
import { listAudit } from './audit.service.js'

export const auditRoutes = new Hono<AppEnv>().get(
  '/villages/:vid/audit',
  allow('auditor'),
  scopeBy('villages', 'vid'),
  query(listQuery),
  async (c) => {
    await c.var.deps.audit.flush()
    return c.json(await listAudit(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('query')))
  },
)
