import type { ActingUser } from '../core/actor.js'

/*
 * Every request proves its token: an HMAC check and a users lookup, more than a card resolve's own work.
 * A proven token is remembered for a few seconds. Anything that ends sessions in this process (password
 * change, disabling, new roles) clears the memory at once; a change made by another process on the same
 * database file takes effect within TTL_MS.
 */
const TTL_MS = 5_000
const MAX_ENTRIES = 5_000

const proven = new Map<string, { user: ActingUser; until: number; key: Uint8Array }>()

export function cachedSession(key: Uint8Array, token: string): ActingUser | null {
  const hit = proven.get(token)
  if (!hit || hit.key !== key) return null
  if (hit.until < Date.now()) {
    proven.delete(token)
    return null
  }
  return hit.user
}

export function rememberSession(key: Uint8Array, token: string, user: ActingUser) {
  if (proven.size >= MAX_ENTRIES) proven.clear()
  proven.set(token, { user, until: Date.now() + TTL_MS, key })
}

export function forgetSession(token: string) {
  proven.delete(token)
}

export function forgetSessions() {
  proven.clear()
}
