import { createSignal } from 'solid-js'
import { ApiError, errorFrom } from '../api'
import type { VillagerHousehold, VillagerLogin } from '../../shared/types/villager'

/*
 * The villager's sign-in on this phone, kept in localStorage: the phone stays signed in until the household
 * signs out, its card is reissued or its PIN changes (the server then answers 401 with the reason).
 */

const KEY = 'gongyi.villager'

interface VillagerSession {
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

function save(next: VillagerSession | null) {
  setSession(next)
  try {
    if (next) localStorage.setItem(KEY, JSON.stringify(next))
    else localStorage.removeItem(KEY)
  } catch {}
}

function end(reason: string | null) {
  setEnded(reason)
  save(null)
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {}
  const tk = session()?.token
  if (tk) headers.authorization = `Bearer ${tk}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch (e) {
    throw new ApiError('NETWORK', 0, String((e as Error).message ?? e))
  }
  if (!res.ok) {
    const err = await errorFrom(res)
    if (res.status === 401 && path !== '/api/villager/login') {
      end(((err.details as { reason?: string } | undefined)?.reason) ?? 'invalid')
    }
    throw err
  }
  return res
}

export const me = {
  get: async <T>(path: string): Promise<T> => (await send('GET', path)).json() as Promise<T>,
  post: async <T>(path: string, body: unknown): Promise<T> => (await send('POST', path, body)).json() as Promise<T>,
  /** An image of the household's own (an award's photo), as an object URL for an <img>. */
  image: async (path: string): Promise<string> => URL.createObjectURL(await (await send('GET', path)).blob()),
}

export async function signIn(cardCode: string, pin?: string): Promise<void> {
  const res = await send('POST', '/api/villager/login', { cardCode, pin })
  const login = (await res.json()) as VillagerLogin
  setEnded(null)
  save({ token: login.token, household: login.household })
}

export async function signOut(): Promise<void> {
  try {
    await send('POST', '/api/me/logout', {})
  } catch {}
  end('signed-out')
}
