import { createSignal } from 'solid-js'
import type { VillagerHousehold } from '../../shared/types/villager'

/*
 * The villager's sign-in on this phone, kept in localStorage: the phone stays signed in until the household
 * signs out, its card is reissued or its PIN changes (the server then answers 401 with the reason). The requests
 * themselves are web/api/villager.ts.
 */

const KEY = 'gongyi.villager'

export interface VillagerSession {
  token: string
  household: VillagerHousehold
}

function load(): VillagerSession | null {
  try {
    const raw = localStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as VillagerSession) : null
  } catch {
    return null
  }
}

const [session, setSession] = createSignal<VillagerSession | null>(load())
/** Why the last sign-in ended, when the server said so: shown on the sign-in screen. */
const [ended, setEnded] = createSignal<string | null>(null)
export { ended, session }

/** Keeps a new sign-in (or forgets it, with null). */
export function saveSession(next: VillagerSession | null) {
  if (next) setEnded(null)
  setSession(next)
  try {
    if (next) localStorage.setItem(KEY, JSON.stringify(next))
    else localStorage.removeItem(KEY)
  } catch {}
}

/** The sign-in is over (signed out, or refused with this reason): back to the sign-in screen. */
export function endSession(reason: string | null) {
  setEnded(reason)
  saveSession(null)
}
