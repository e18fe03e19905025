import type { ClaimInput } from '../../shared/schemas/villager.js'
import type {
  Claim,
  MeAccount,
  MeLedger,
  MeNotice,
  MeProduct,
  MeRule,
  SubmittedClaim,
  VillagerLogin,
} from '../../shared/types/villager.js'
import { endSession, saveSession, session } from '../me/session.js'
import { ApiError, errorFrom, qs } from './client.js'

/*
 * The villager's phone (/me): its own sign-in from the card, then /api/me/* with the villager's token (never a
 * staff login). A 401 ends the phone's sign-in with the server's reason (signed-out, card-revoked, pin-changed).
 */

const LOGIN = '/api/villager/login'

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {}
  const tk = session()?.token
  if (tk && path !== LOGIN) headers.authorization = `Bearer ${tk}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch (e) {
    throw new ApiError('NETWORK', 0, String((e as Error).message ?? e))
  }
  if (!res.ok) {
    const err = await errorFrom(res)
    if (res.status === 401 && path !== LOGIN)
      endSession((err.details as { reason?: string } | undefined)?.reason ?? 'invalid')
    throw err
  }
  return res
}

const get = async <T>(path: string): Promise<T> => (await send('GET', path)).json() as Promise<T>
const post = async <T>(path: string, body: unknown): Promise<T> => (await send('POST', path, body)).json() as Promise<T>

/** The household's own page, as the signed-in phone reads it. */
export const villager = {
  /** Signs in with the scanned card (the bare code or the /me link) and the PIN when the household has one. */
  signIn: async (cardCode: string, pin?: string): Promise<void> => {
    const login = await post<VillagerLogin>(LOGIN, { cardCode, pin })
    saveSession({ token: login.token, household: login.household })
  },
  /** Ends this phone's sign-in (on the server too, when it answers). */
  signOut: async (): Promise<void> => {
    try {
      await send('POST', '/api/me/logout', {})
    } catch {}
    endSession('signed-out')
  },
  account: () => get<MeAccount>('/api/me'),
  ledger: (month?: string) => get<MeLedger>(`/api/me/ledger${qs({ month })}`),
  /** A photo of one of the household's own awards, as an object URL for an <img>. */
  evidenceUrl: async (evidenceId: string) =>
    URL.createObjectURL(await (await send('GET', `/api/me/evidence/${evidenceId}`)).blob()),
  notices: () => get<{ items: MeNotice[] }>('/api/me/notices'),
  object: (awardId: string, text: string) => post<unknown>(`/api/me/notices/${awardId}/objections`, { text }),
  products: () => get<{ items: MeProduct[] }>('/api/me/products'),
  rules: () => get<{ items: MeRule[] }>('/api/me/rules'),
  claims: () => get<{ items: Claim[] }>('/api/me/claims'),
  submitClaim: (input: ClaimInput) => post<SubmittedClaim>('/api/me/claims', input),
}
