import { Hono } from 'hono'
import { z } from 'zod'
import { createRuleInput, updateRuleInput } from '../../shared/schemas/rules.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { jsonBody, query } from '../http/validate.js'
import { createRule, getRule, listRules, loadStarterCatalogue, updateRule } from './rules.service.js'

const ruleListQuery = z.object({ active: z.enum(['true', 'false']).optional() })

export const ruleRoutes = new Hono<AppEnv>()
  .post('/villages/:vid/rules', allow('clerk'), scopeBy('villages', 'vid'), async (c) => {
    const input = await jsonBody(c, createRuleInput)
    return c.json(await createRule(c.var.deps.db, villageOf(c), input), 201)
  })
  .post('/villages/:vid/rules/starter', allow('clerk'), scopeBy('villages', 'vid'), async (c) => {
    return c.json(await loadStarterCatalogue(c.var.deps.db, villageOf(c)), 201)
  })
  .get('/villages/:vid/rules', scopeBy('villages', 'vid'), async (c) => {
    const { active } = query(c, ruleListQuery)
    const items = await listRules(c.var.deps.db, villageOf(c), { active: active === undefined ? undefined : active === 'true' })
    return c.json({ items, nextCursor: null })
  })
  .get('/rules/:id', scopeBy('rules', 'id'), async (c) => c.json(await getRule(c.var.deps.db, c.req.param('id'))))
  .patch('/rules/:id', allow('clerk'), scopeBy('rules', 'id'), async (c) => {
    const input = await jsonBody(c, updateRuleInput)
    return c.json(await updateRule(c.var.deps.db, c.req.param('id'), input))
  })
