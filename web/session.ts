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

// sessionStorage: a login lasts as long as the tab, and closing the counter's browser logs the cashier out.
const STORAGE_KEY = 'gongyi.session'

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY)
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
