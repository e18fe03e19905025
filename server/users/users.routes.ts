import { Hono } from 'hono'
import { changePasswordInput, createUserInput, loginInput, updateUserInput } from '../../shared/schemas/auth.js'
import { login } from '../auth/auth.service.js'
import { isAdmin } from '../core/actor.js'
import { allow } from '../http/access.js'
import { forbidden } from '../core/errors.js'
import type { AppEnv } from '../http/types.js'
import { jsonBody } from '../http/validate.js'
import { changeOwnPassword, createUser, listUsers, updateUser } from './users.service.js'

/** Login is the one route besides health that needs no token. */
export const loginRoutes = new Hono<AppEnv>().post('/auth/login', async (c) => {
  const input = await jsonBody(c, loginInput)
  const { db, secrets } = c.var.deps
  return c.json(await login(db, secrets.tokenKey, input))
})

export const userRoutes = new Hono<AppEnv>()
  .get('/auth/me', (c) => c.json(c.var.user))
  .post('/auth/password', async (c) => {
    const input = await jsonBody(c, changePasswordInput)
    await changeOwnPassword(c.var.deps.db, c.var.user, input.currentPassword, input.newPassword)
    return c.json({ ok: true })
  })
  .post('/users', allow('admin'), async (c) => {
    const input = await jsonBody(c, createUserInput)
    const { id, username, roles, villageId, displayName } = await createUser(c.var.deps.db, input)
    return c.json({ id, username, roles, villageId, displayName }, 201)
  })
  .get('/users', allow('admin'), async (c) => {
    return c.json({ items: await listUsers(c.var.deps.db, c.var.user, c.req.query('villageId')), nextCursor: null })
  })
  .patch('/users/:id', allow('admin'), async (c) => {
    if (!isAdmin(c.var.user)) throw forbidden()
    const input = await jsonBody(c, updateUserInput)
    return c.json(await updateUser(c.var.deps.db, c.req.param('id'), input))
  })
