import { createSignal } from 'solid-js'
import type { Role, SessionUser } from '../shared/types/users.js'

/** A staff member as /api/auth/login returns them. */
export type User = SessionUser
export type { Role }

interface Session {
  token: string
  user: User
  /** The village being worked on: the user's own, or the one an admin chose. */
  villageId: string | null
}

// sessionStorage: a login lasts as long as the tab. A cashier-only login (the counter tablet) is kept in
// localStorage as well, so that the installed kiosk opens and sells with the network off after the tablet
// restarted: the tablet then holds a cashier's token until it expires or the cashier logs out (or the password
// is changed, which ends every token of the user). It holds nothing that mints cards or points.
const STORAGE_KEY = 'gongyi.session'
const COUNTER_KEY = 'gongyi.counter.session'

const isCounterLogin = (s: Session) => s.user.roles.every((r) => r === 'cashier')

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY) ?? localStorage.getItem(COUNTER_KEY)
    return raw ? (JSON.parse(raw) as Session) : null
  } catch {
    return null
  }
}

const [session, setSessionSignal] = createSignal<Session | null>(load())
export { session }

function save(next: Session | null) {
  setSessionSignal(next)
  if (next) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next))
  else sessionStorage.removeItem(STORAGE_KEY)
  try {
    if (next && isCounterLogin(next)) localStorage.setItem(COUNTER_KEY, JSON.stringify(next))
    else localStorage.removeItem(COUNTER_KEY)
  } catch {}
}

export function startSession(token: string, user: User) {
  save({ token, user, villageId: user.villageId })
}

export const endSession = () => save(null)

export function chooseVillage(villageId: string) {
  const s = session()
  if (s) save({ ...s, villageId })
}

export const token = () => session()?.token ?? null
export const currentUser = () => session()?.user ?? null
export const villageId = () => session()?.villageId ?? null

/** True when the user holds any of the roles; admins hold them all. */
export function hasRole(...roles: Role[]): boolean {
  const user = currentUser()
  if (!user) return false
  return user.roles.includes('admin') || roles.some((r) => user.roles.includes(r))
}

/** Where a user lands after logging in: a cashier-only login goes straight to the counter. */
export function homePath(user: User | null): string {
  if (!user) return '/login'
  if (user.roles.every((r) => r === 'cashier')) return '/kiosk'
  return '/dashboard'
}
