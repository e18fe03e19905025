import type { MiddlewareHandler } from 'hono'
import type { Role } from '../../shared/schemas/common.js'
import { authenticate } from '../auth/auth.service.js'
import { DomainError, forbidden, notFound } from './errors.js'
import type { ActingUser, AppEnv } from './types.js'

/** Every /api path but health and login needs a valid bearer token. */
export const requireLogin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization') ?? ''
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  const { db, secrets } = c.var.deps
  const user = match ? await authenticate(db, secrets.tokenKey, match[1]!) : null
  if (!user) throw new DomainError('UNAUTHENTICATED', match ? 'the login has expired or is invalid' : 'log in first')
  c.set('user', user)
  await next()
}

export const isAdmin = (u: ActingUser) => u.roles.includes('admin')

/** Who may call a route: admins always, others when they hold one of the roles. */
export function allow(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.var.user
    if (!isAdmin(user) && !roles.some((r) => user.roles.includes(r))) throw forbidden('your role may not do this')
    await next()
  }
}

/** Tables whose rows belong to one village, and so scope a path that names one of them. */
export type ScopedTable =
  | 'villages' | 'households' | 'cards' | 'rules' | 'awards' | 'ledger_entries' | 'redemptions' | 'products' | 'stock_receipts'
  | 'redemption_conflicts'

const NAMES: Record<ScopedTable, string> = {
  villages: 'village', households: 'household', cards: 'card', rules: 'rule', awards: 'award',
  ledger_entries: 'ledger entry', redemptions: 'redemption', products: 'product', stock_receipts: 'stock receipt',
  redemption_conflicts: 'redemption conflict',
}

export function assertVillage(user: ActingUser, villageId: string) {
  if (!isAdmin(user) && user.villageId !== villageId) throw forbidden("another village's data")
}

/**
 * Resolves the village that the path's id belongs to and refuses other villages' staff: the one place where
 * village isolation is checked, so a guessed id of another village gets 403 on every path.
 */
export function scopeBy(table: ScopedTable, param: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = c.req.param(param)
    if (!id) throw notFound(NAMES[table])
    const { db } = c.var.deps
    const villageId =
      table === 'villages'
        ? (await db.selectFrom('villages').select('id').where('id', '=', id).executeTakeFirst())?.id
        : (await db.selectFrom(table).select('village_id').where('id', '=', id).executeTakeFirst())?.village_id
    if (!villageId) {
      // Staff of one village learn nothing about other villages' ids: unknown and foreign look alike to them.
      throw notFound(NAMES[table])
    }
    assertVillage(c.var.user, villageId)
    c.set('villageId', villageId)
    await next()
  }
}

/** The village that scopeBy resolved for this request. */
export function villageOf(c: { var: AppEnv['Variables'] }): string {
  const v = c.var.villageId
  if (!v) throw new Error('route has no village scope')
  return v
}
