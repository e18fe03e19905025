import { Hono } from 'hono'
import { z } from 'zod'
import { listQuery, optionalText } from '../../shared/schemas/common.js'
import { createHouseholdInput, householdQuery, memberInput, updateHouseholdInput } from '../../shared/schemas/households.js'
import { isoDate } from '../../shared/schemas/common.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import { DomainError } from '../core/errors.js'
import type { AppEnv } from '../http/types.js'
import { jsonBody, query } from '../http/validate.js'
import {
  addMember, createHousehold, getHousehold, listHouseholds, removeMember, setSuspension, updateHousehold,
} from './households.service.js'
import { importRoster } from './roster-import.js'

const suspensionInput = z.object({ until: isoDate.nullable(), reason: optionalText(200) })

export const householdRoutes = new Hono<AppEnv>()
  .post('/villages/:vid/households', allow('clerk'), scopeBy('villages', 'vid'), async (c) => {
    const input = await jsonBody(c, createHouseholdInput)
    return c.json(await createHousehold(c.var.deps.db, villageOf(c), input), 201)
  })
  .get('/villages/:vid/households', scopeBy('villages', 'vid'), async (c) => {
    const { limit, cursor } = query(c, listQuery)
    const { q } = query(c, householdQuery)
    return c.json(await listHouseholds(c.var.deps.db, villageOf(c), { q, limit, cursor }))
  })
  .post('/villages/:vid/households/import', allow('clerk'), scopeBy('villages', 'vid'), async (c) => {
    const type = c.req.header('content-type') ?? ''
    if (!/^text\/(csv|plain)|^application\/(octet-stream|vnd\.ms-excel)/i.test(type)) {
      throw new DomainError('VALIDATION_FAILED', 'send the roster as text/csv', [{ field: 'content-type', message: 'expected text/csv' }])
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    return c.json(await importRoster(c.var.deps.db, villageOf(c), bytes))
  })
  .get('/households/:hid', scopeBy('households', 'hid'), async (c) => c.json(await getHousehold(c.var.deps.db, c.req.param('hid'))))
  .patch('/households/:hid', allow('clerk'), scopeBy('households', 'hid'), async (c) => {
    const input = await jsonBody(c, updateHouseholdInput)
    return c.json(await updateHousehold(c.var.deps.db, c.req.param('hid'), input))
  })
  .post('/households/:hid/members', allow('clerk'), scopeBy('households', 'hid'), async (c) => {
    const input = await jsonBody(c, memberInput)
    return c.json(await addMember(c.var.deps.db, villageOf(c), c.req.param('hid'), input), 201)
  })
  .delete('/households/:hid/members/:mid', allow('clerk'), scopeBy('households', 'hid'), async (c) => {
    return c.json(await removeMember(c.var.deps.db, c.req.param('hid'), c.req.param('mid')))
  })
  .post('/households/:hid/suspension', allow('approver'), scopeBy('households', 'hid'), async (c) => {
    const input = await jsonBody(c, suspensionInput)
    return c.json(await setSuspension(c.var.deps.db, c.req.param('hid'), input.until, input.reason ?? null))
  })
