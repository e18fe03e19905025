import { Hono } from 'hono'
import { createRuleInput, ruleListQuery, updateRuleInput } from '../../shared/schemas/rules.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import type { AppEnv } from '../http/types.js'
import { json, query } from '../http/validate.js'
import { createRule, getRule, listRules, loadStarterCatalogue, updateRule } from './rules.service.js'

export const ruleRoutes = new Hono<AppEnv>()
  .post('/villages/:vid/rules', allow('clerk'), scopeBy('villages', 'vid'), json(createRuleInput), async (c) => {
    return c.json(await createRule(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('json')), 201)
  })
  .post('/villages/:vid/rules/starter', allow('clerk'), scopeBy('villages', 'vid'), async (c) => {
    return c.json(await loadStarterCatalogue(c.var.deps.db, c.var.user, villageOf(c)), 201)
  })
  .get('/villages/:vid/rules', scopeBy('villages', 'vid'), query(ruleListQuery), async (c) => {
    const { active } = c.req.valid('query')
    const items = await listRules(c.var.deps.db, c.var.user, villageOf(c), {
      active: active === undefined ? undefined : active === 'true',
    })
    return c.json({ items, nextCursor: null })
  })
  .get('/rules/:id', scopeBy('rules', 'id'), async (c) =>
    c.json(await getRule(c.var.deps.db, c.var.user, c.req.param('id'))),
  )
  .patch('/rules/:id', allow('clerk'), scopeBy('rules', 'id'), json(updateRuleInput), async (c) => {
    return c.json(await updateRule(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json')))
  })
