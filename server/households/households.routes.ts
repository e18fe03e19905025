import { Hono } from 'hono'
import {
  createHouseholdInput,
  householdListQuery,
  memberInput,
  suspensionInput,
  updateHouseholdInput,
} from '../../shared/schemas/households.js'
import { memberPatchInput } from '../../shared/schemas/tags.js'
import { DomainError } from '../core/errors.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { json, query } from '../http/validate.js'
import {
  addMember,
  createHousehold,
  getHousehold,
  listHouseholds,
  removeMember,
  setSuspension,
  updateHousehold,
  updateMember,
} from './households.service.js'
import { importRoster } from './roster-import.js'

export const householdRoutes = new Hono<AppEnv>()
  .post(
    '/villages/:vid/households',
    allow('clerk'),
    scopeBy('villages', 'vid'),
    json(createHouseholdInput),
    async (c) => {
      return c.json(await createHousehold(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('json')), 201)
    },
  )
  .get('/villages/:vid/households', scopeBy('villages', 'vid'), query(householdListQuery), async (c) => {
    return c.json(await listHouseholds(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('query')))
  })
  .post('/villages/:vid/households/import', allow('clerk'), scopeBy('villages', 'vid'), async (c) => {
    const type = c.req.header('content-type') ?? ''
    // CSV, or an .xlsx workbook as Excel and WPS save it (issue 17): the file's own bytes say which.
    if (
      !/^text\/(csv|plain)|^application\/(octet-stream|vnd\.ms-excel|vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)/i.test(
        type,
      )
    ) {
      throw new DomainError('VALIDATION_FAILED', 'send the roster as text/csv or xlsx', [
        { field: 'content-type', message: 'expected text/csv or xlsx' },
      ])
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    return c.json(await importRoster(c.var.deps.db, c.var.user, villageOf(c), bytes, c.var.deps.workers))
  })
  .get('/households/:hid', scopeBy('households', 'hid'), async (c) =>
    c.json(await getHousehold(c.var.deps.db, c.var.user, c.req.param('hid'))),
  )
  .patch('/households/:hid', allow('clerk'), scopeBy('households', 'hid'), json(updateHouseholdInput), async (c) => {
    return c.json(await updateHousehold(c.var.deps.db, c.var.user, c.req.param('hid'), c.req.valid('json')))
  })
  .post('/households/:hid/members', allow('clerk'), scopeBy('households', 'hid'), json(memberInput), async (c) => {
    return c.json(await addMember(c.var.deps.db, c.var.user, c.req.param('hid'), c.req.valid('json')), 201)
  })
  .patch(
    '/households/:hid/members/:mid',
    allow('clerk'),
    scopeBy('households', 'hid'),
    json(memberPatchInput),
    async (c) => {
      return c.json(
        await updateMember(c.var.deps.db, c.var.user, c.req.param('hid'), c.req.param('mid'), c.req.valid('json')),
      )
    },
  )
  .delete('/households/:hid/members/:mid', allow('clerk'), scopeBy('households', 'hid'), async (c) => {
    return c.json(await removeMember(c.var.deps.db, c.var.user, c.req.param('hid'), c.req.param('mid')))
  })
  .post(
    '/households/:hid/suspension',
    allow('approver'),
    scopeBy('households', 'hid'),
    json(suspensionInput),
    async (c) => {
      const { until, reason } = c.req.valid('json')
      return c.json(await setSuspension(c.var.deps.db, c.var.user, c.req.param('hid'), until, reason ?? null))
    },
  )
