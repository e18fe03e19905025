import { Hono } from 'hono'
import { createVillageInput, updateVillageInput } from '../../shared/schemas/villages.js'
import { allow, scopeBy } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { json } from '../http/validate.js'
import { createVillage, getVillage, listVillages, updateVillage } from './villages.service.js'

export const villageRoutes = new Hono<AppEnv>()
  .post('/villages', allow('admin'), json(createVillageInput), async (c) => {
    return c.json(await createVillage(c.var.deps.db, c.var.user, c.req.valid('json')), 201)
  })
  .get('/villages', async (c) => c.json({ items: await listVillages(c.var.deps.db, c.var.user), nextCursor: null }))
  .get('/villages/:vid', scopeBy('villages', 'vid'), async (c) =>
    c.json(await getVillage(c.var.deps.db, c.var.user, c.req.param('vid'))),
  )
  .patch('/villages/:vid', allow('admin'), scopeBy('villages', 'vid'), json(updateVillageInput), async (c) => {
    return c.json(await updateVillage(c.var.deps.db, c.var.user, c.req.param('vid'), c.req.valid('json')))
  })
