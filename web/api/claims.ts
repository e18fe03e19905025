import type { ClaimStatus } from '../../shared/schemas/villager.js'
import type { Page } from '../../shared/types/page.js'
import type { AcceptedClaim, Claim } from '../../shared/types/villager.js'
import { http, qs } from './client.js'

/** 村民申报, the committee's side: the village's queue, a claim's photo, the clerk's answer. */
export const claims = {
  list: (vid: string, query: { status?: ClaimStatus; limit?: number; cursor?: string | null } = {}) =>
    http.get<Page<Claim>>(`/api/villages/${vid}/claims${qs(query)}`),
  photo: (id: string) => http.blob(`/api/claims/${id}/photo`),
  /** Accepts with a rule: the claim becomes an award proposal for the household. */
  accept: (id: string, input: { ruleId: string; note?: string | null }) =>
    http.post<AcceptedClaim>(`/api/claims/${id}/accept`, input),
  decline: (id: string, reply: string) => http.post<Claim>(`/api/claims/${id}/decline`, { reply }),
}
