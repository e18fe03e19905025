import type { MiddlewareHandler } from 'hono'
import type { Role } from '../../shared/schemas/common.js'
import { authenticate } from '../auth/auth.service.js'
import { DomainError, forbidden, notFound } from '../core/errors.js'
import { isAdmin } from '../core/actor.js'
import { SCOPED_NAMES, type ScopedTable, scopedVillage } from '../core/scope.js'
import { readVillagerToken } from '../auth/villager-token.js'
import type { AppEnv } from './types.js'

/** Every /api path but health and login needs a valid bearer token. */
export const requireLogin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization') ?? ''
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  const { db, secrets } = c.var.deps
  const user = match ? await authenticate(db, secrets.tokenKey, match[1]!) : null
  // A villager signed in from a card opens its own household's /api/me and nothing of the staff's.
  if (!user && match && (await readVillagerToken(secrets.tokenKey, match[1]!)))
    throw forbidden("a villager's sign-in opens only /api/me")
  if (!user) throw new DomainError('UNAUTHENTICATED', match ? 'the login has expired or is invalid' : 'log in first')
  // The generated first admin password is known to whoever saw the console: it opens nothing but its own change.
  if (user.mustChangePassword && !/\/auth\/(password|me|logout)$/.test(c.req.path)) {
    throw new DomainError(
      'PASSWORD_CHANGE_REQUIRED',
      '请先修改系统生成的初始密码 (change the generated first password first: POST /api/auth/password)',
    )
  }
  c.set('user', user)
  await next()
}

/** Who may call a route: admins always, others when they hold one of the roles. */
export function allow(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.var.user
    if (!isAdmin(user) && !roles.some((r) => user.roles.includes(r))) throw forbidden('your role may not do this')
    await next()
  }
}

/**
 * Resolves the village that the path's id belongs to and refuses other villages' staff before the handler
 * runs, so a guessed id of another village gets 403 on every path. The services check again (core/scope.ts).
 */
export function scopeBy(table: ScopedTable, param: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = c.req.param(param)
    if (!id) throw notFound(SCOPED_NAMES[table])
    c.set('villageId', await scopedVillage(c.var.deps.db, c.var.user, table, id))
    await next()
  }
}

/** The village that scopeBy resolved for this request. */
export function villageOf(c: { var: AppEnv['Variables'] }): string {
  const v = c.var.villageId
  if (!v) throw new Error('route has no village scope')
  return v
}

export type { ScopedTable }
