import { sql } from 'kysely'
import { type DB, dialectOf } from '../../db/database.js'
import type { Row } from '../../db/schema.js'
import type { Role } from '../../shared/schemas/common.js'
import { newId, nowIso } from '../../db/ids.js'
import type { LoginInput } from '../../shared/schemas/auth.js'
import { DomainError } from '../core/errors.js'
import type { ActingUser } from '../core/actor.js'
import { hashSecret, verifySecret } from './passwords.js'
import { cachedSession, forgetSession, forgetSessions, rememberSession } from './session-cache.js'
import { readToken, signToken } from './tokens.js'
import type { User } from '../../shared/types/users.js'

/*
 * Identity: who a user is (the users row as the rest of the server sees it), passwords, tokens and sessions.
 * Other features use this file, never passwords.ts or session-cache.ts directly.
 */

export { generatePassword, hashSecret, verifySecret } from './passwords.js'

/** Ends every session proven in this process (after a password change, disabling, new roles). */
export const endAllSessions = () => forgetSessions()

export type { User }

export function userRowToUser(row: Row<'users'>): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: row.roles.split(',').filter(Boolean) as Role[],
    villageId: row.village_id,
    active: row.active === 1,
  }
}

const MAX_FAILURES = 5
const WINDOW_MS = 15 * 60 * 1000
/**
 * Failed logins from one network address, across usernames, within the window; then that address gets 429
 * (RELIABILITY.md, "Insider attacks": a lock on the guessing address only, so an outsider cannot lock the
 * cashier's tablet out; a correct login does not count, and clears its own pre-counted attempt).
 */
export const MAX_ADDRESS_FAILURES = 20

// Compared against when the username is unknown, so timing does not tell which usernames exist.
const dummyHash = hashSecret('gongyi-dummy-password')

async function recentFailures(db: DB, username: string): Promise<number> {
  const since = new Date(Date.now() - WINDOW_MS).toISOString()
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('username', '=', username)
    .where('at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Counts an attempt BEFORE the slow password check, atomically: one transaction (BEGIN IMMEDIATE on SQLite)
 * counts the recent failures and, below the limit, records this attempt as a failure in advance. So of any
 * number of guesses sent at once, at most MAX_FAILURES ever reach the password check; the rest get 429.
 * Returns the id of the row to take back when the password turns out right.
 */
export async function claimAttempt(db: DB, username: string, address: string | null = null): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // PostgreSQL's READ COMMITTED lets two transactions count the same rows: the username's (then the
    // address's, always in that order) advisory lock makes them take turns (SQLite's BEGIN IMMEDIATE already does).
    if (dialectOf(trx) === 'postgres') {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`login:${username}`}, 0))`.execute(trx)
      if (address) await sql`select pg_advisory_xact_lock(hashtextextended(${`login-from:${address}`}, 0))`.execute(trx)
    }
    if ((await recentFailures(trx, username)) >= MAX_FAILURES) {
      throw new DomainError('TOO_MANY_ATTEMPTS', 'too many failed logins: wait 15 minutes')
    }
    if (address && (await recentFailuresFrom(trx, address)) >= MAX_ADDRESS_FAILURES) {
      throw new DomainError('TOO_MANY_ATTEMPTS', 'too many failed logins from this address: wait 15 minutes')
    }
    const row = await trx
      .insertInto('login_failures')
      .values({ username, at: nowIso(), address })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  })
}

async function recentFailuresFrom(db: DB, address: string): Promise<number> {
  const since = new Date(Date.now() - WINDOW_MS).toISOString()
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('address', '=', address)
    .where('at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Old failures mean nothing after the window: a scheduler job forgets them. */
export async function purgeLoginFailures(db: DB, now = new Date()) {
  const before = new Date(now.getTime() - 2 * WINDOW_MS).toISOString()
  await db.deleteFrom('login_failures').where('at', '<', before).execute()
  await db.deleteFrom('revoked_tokens').where('expires_at', '<', now.toISOString()).execute()
}

/** `address`: the client's network address (the socket's, never a header a client can write), or null. */
export async function login(db: DB, tokenKey: Uint8Array, input: LoginInput, address: string | null = null) {
  const username = input.username
  await claimAttempt(db, username, address)
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()
  const ok = await verifySecret(input.password, row?.password_hash ?? (await dummyHash))
  if (!row || !ok || !row.active) {
    throw new DomainError('INVALID_CREDENTIALS', 'wrong username or password')
  }
  await db.deleteFrom('login_failures').where('username', '=', username).execute()
  const token = await signToken(tokenKey, { sub: row.id, tv: row.token_version })
  // mustChangePassword: the generated first password opens only POST /auth/password (http/access.ts).
  return { token, user: userRowToUser(row), ...(row.must_change_password ? { mustChangePassword: true } : {}) }
}

/** The user behind a bearer token, or null when the token is bad, expired, or the user was disabled. */
export async function authenticate(db: DB, tokenKey: Uint8Array, token: string): Promise<ActingUser | null> {
  // On PostgreSQL several processes serve one database (GONGYI_WORKERS): a token ended in one of them must be
  // refused by all at once, so every request checks token_version (a primary-key read). SQLite: one process.
  const cache = dialectOf(db) === 'sqlite'
  const cached = cache ? cachedSession(tokenKey, token) : null
  if (cached) return cached
  const claims = await readToken(tokenKey, token)
  if (!claims) return null
  const row = await db.selectFrom('users').selectAll().where('id', '=', claims.sub).executeTakeFirst()
  if (!row || !row.active || row.token_version !== claims.tv) return null
  if (!claims.jti) return null
  const revoked = await db.selectFrom('revoked_tokens').select('jti').where('jti', '=', claims.jti).executeTakeFirst()
  if (revoked) return null
  const u = userRowToUser(row)
  const user: ActingUser = {
    id: u.id,
    username: u.username,
    roles: u.roles,
    villageId: u.villageId,
    ...(row.must_change_password ? { mustChangePassword: true } : {}),
  }
  if (cache) rememberSession(tokenKey, token, user)
  return user
}

/** Creates `admin` on a database that has no admin yet; true when it did. */
/**
 * The first admin, on a database with none. `generated`: the password was made up and printed once, so it
 * must be changed at first login before anything else works (one set through GONGYI_ADMIN_PASSWORD need not be).
 */
export async function bootstrapAdmin(db: DB, password: string, opts: { generated?: boolean } = {}): Promise<boolean> {
  const any = await db.selectFrom('users').select('id').where('roles', 'like', '%admin%').executeTakeFirst()
  if (any) return false
  await db
    .insertInto('users')
    .values({
      id: newId(),
      username: 'admin',
      password_hash: await hashSecret(password),
      roles: 'admin',
      village_id: null,
      created_at: nowIso(),
      must_change_password: opts.generated ? 1 : 0,
    })
    .execute()
  return true
}

/**
 * Logs one token out: its jti goes into revoked_tokens (until it would have expired), which every process
 * reads on a token it has not proven in the last few seconds; this process forgets it at once.
 */
export async function logout(db: DB, tokenKey: Uint8Array, token: string) {
  const claims = await readToken(tokenKey, token)
  if (!claims?.jti) return
  const expires = new Date((claims.exp ?? Date.now() / 1000 + 12 * 3600) * 1000).toISOString()
  await db
    .insertInto('revoked_tokens')
    .values({ jti: claims.jti, user_id: claims.sub, expires_at: expires })
    .onConflict((oc) => oc.doNothing())
    .execute()
  forgetSession(token)
}
