import type { DB } from '../../db/database.js'
import { claimAttempt } from '../auth/auth.service.js'
import { newId, nowIso } from '../../db/ids.js'
import type { CreateUserInput } from '../../shared/schemas/auth.js'
import type { Role } from '../../shared/schemas/common.js'
import { endAllSessions, hashSecret, type User, userRowToUser, verifySecret } from '../auth/auth.service.js'
import { DomainError, duplicate, forbidden, notFound } from '../core/errors.js'
import { rethrowUnique } from '../../db/errors.js'
import { type ActingUser, isAdmin } from '../core/actor.js'
import { patchOf } from '../../db/patch.js'
export type { User }

async function assertVillageExists(db: DB, villageId: string) {
  const v = await db.selectFrom('villages').select('id').where('id', '=', villageId).executeTakeFirst()
  if (!v)
    throw new DomainError('VALIDATION_FAILED', 'unknown village', [{ field: 'villageId', message: 'no such village' }])
}

export async function createUser(db: DB, actor: ActingUser, input: CreateUserInput): Promise<User> {
  if (!isAdmin(actor)) throw forbidden('only an administrator adds staff')
  const forAdmin = input.roles.includes('admin')
  const villageId = input.villageId ?? null
  if (!forAdmin && !villageId) {
    throw new DomainError('VALIDATION_FAILED', 'village staff need a village', [
      { field: 'villageId', message: 'required for village roles' },
    ])
  }
  if (villageId) await assertVillageExists(db, villageId)
  const row = {
    id: newId(),
    username: input.username,
    password_hash: await hashSecret(input.password),
    roles: [...new Set(input.roles)].join(','),
    village_id: forAdmin ? null : villageId,
    display_name: input.displayName ?? null,
    created_at: nowIso(),
  }
  try {
    await db.insertInto('users').values(row).execute()
  } catch (err) {
    rethrowUnique(err, () => duplicate('username is taken'))
  }
  return userRowToUser({ ...row, active: 1, token_version: 0, must_change_password: 0 })
}

export async function listUsers(db: DB, actor: ActingUser, villageId?: string): Promise<User[]> {
  let q = db.selectFrom('users').selectAll().orderBy('username')
  const scope = isAdmin(actor) ? villageId : actor.villageId
  if (scope) q = q.where('village_id', '=', scope)
  return (await q.execute()).map(userRowToUser)
}

/** An administrator changes a user; a user changes only their own password (changeOwnPassword). */
export async function updateUser(
  db: DB,
  actor: ActingUser,
  userId: string,
  input: { roles?: Role[]; active?: boolean; password?: string; displayName?: string | null },
): Promise<User> {
  if (!isAdmin(actor) && !(actor.id === userId && Object.keys(input).every((k) => k === 'password'))) throw forbidden()
  const row = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst()
  if (!row) throw notFound('user')
  const changes = patchOf('users', input, {
    roles: (roles) => ({ roles: [...new Set(roles)].join(',') }),
    active: (v) => ({ active: v ? 1 : 0 }),
    displayName: 'display_name',
  })
  if (input.password) {
    changes.password_hash = await hashSecret(input.password)
    changes.must_change_password = 0
  }
  // Disabling, a new password or new roles end every session the user has open.
  changes.token_version = row.token_version + 1
  await db.updateTable('users').set(changes).where('id', '=', userId).execute()
  endAllSessions()
  return userRowToUser({ ...row, ...changes })
}

export async function changeOwnPassword(db: DB, actor: ActingUser, current: string, next: string) {
  const row = await db.selectFrom('users').selectAll().where('id', '=', actor.id).executeTakeFirstOrThrow()
  // A wrong current password is a failed login: counted first, under the same limit (429 after 5).
  await claimAttempt(db, row.username)
  if (!(await verifySecret(current, row.password_hash)))
    throw new DomainError('INVALID_CREDENTIALS', 'current password is wrong')
  await db.deleteFrom('login_failures').where('username', '=', row.username).execute()
  await updateUser(db, actor, actor.id, { password: next })
}
