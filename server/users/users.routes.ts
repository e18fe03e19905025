import { Hono } from 'hono'
import {
  changePasswordInput,
  createUserInput,
  loginInput,
  updateUserInput,
  userListQuery,
} from '../../shared/schemas/auth.js'
import { login, logout } from '../auth/auth.service.js'
import { allow } from '../http/access.js'
import { clientAddress } from '../villager/villager-auth.js'
import type { AppEnv } from '../http/types.js'
import { json, query } from '../http/validate.js'
import { changeOwnPassword, createUser, listUsers, updateUser } from './users.service.js'

/** Login is the one route besides health that needs no token. */
export const loginRoutes = new Hono<AppEnv>().post('/auth/login', json(loginInput), async (c) => {
  const { db, secrets } = c.var.deps
  // Counted per network address too (the socket's: in-process requests have none, and are not counted by it).
  const address = clientAddress(c)
  return c.json(await login(db, secrets.tokenKey, c.req.valid('json'), address === 'unknown' ? null : address))
})

export const userRoutes = new Hono<AppEnv>()
  .get('/auth/me', (c) => c.json(c.var.user))
  .post('/auth/logout', async (c) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
    if (token) await logout(c.var.deps.db, c.var.deps.secrets.tokenKey, token)
    return c.body(null, 204)
  })
  .post('/auth/password', json(changePasswordInput), async (c) => {
    const input = c.req.valid('json')
    await changeOwnPassword(c.var.deps.db, c.var.user, input.currentPassword, input.newPassword)
    return c.json({ ok: true })
  })
  .post('/users', allow('admin'), json(createUserInput), async (c) => {
    const { id, username, roles, villageId, displayName } = await createUser(
      c.var.deps.db,
      c.var.user,
      c.req.valid('json'),
    )
    return c.json({ id, username, roles, villageId, displayName }, 201)
  })
  .get('/users', allow('admin'), query(userListQuery), async (c) => {
    return c.json({
      items: await listUsers(c.var.deps.db, c.var.user, c.req.valid('query').villageId),
      nextCursor: null,
    })
  })
  .patch('/users/:id', allow('admin'), json(updateUserInput), async (c) => {
    return c.json(await updateUser(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json')))
  })
