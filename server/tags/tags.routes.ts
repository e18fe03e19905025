import { Hono } from 'hono'
import { scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { tagCounts } from './tags.service.js'

/*
 * Household categories (issue 18). Setting them is PATCH /households/:hid {tags} (API.md), filtering is
 * GET /villages/:vid/households?tag=; this router adds the counts:
 * GET /api/villages/:vid/tags → {items: [{tag, households}], tagged, partyMembers} (any of the village's staff).
 */
export const tagRoutes = new Hono<AppEnv>().get('/villages/:vid/tags', scopeBy('villages', 'vid'), async (c) =>
  c.json(await tagCounts(c.var.deps.db, c.var.user, villageOf(c))),
)
