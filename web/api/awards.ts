import type { z } from 'zod'
import type { ApproveAwardInput, awardListQuery, ProposeAwardInput } from '../../shared/schemas/awards.js'
import type { ApproveResult, Award, AwardDetail, DecisionResult } from '../../shared/types/awards.js'
import type { Page } from '../../shared/types/page.js'
import { http, qs } from './client.js'

export type AwardQuery = z.infer<typeof awardListQuery> & { limit?: number; cursor?: string | null }

/** Awards: proposal, evidence, approval, the public notice board. */
export const awards = {
  list: (vid: string, query: AwardQuery = {}) =>
    http.get<Page<AwardDetail>>(`/api/villages/${vid}/awards${qs({ ...query })}`),
  get: (id: string) => http.get<AwardDetail>(`/api/awards/${id}`),
  propose: (vid: string, body: ProposeAwardInput) => http.post<Award>(`/api/villages/${vid}/awards`, body),
  /** A photo of the deed, sent as it is (its own content type). */
  addEvidence: (id: string, photo: Blob) =>
    http.post<unknown>(`/api/awards/${id}/evidence`, photo, {
      headers: { 'content-type': photo.type || 'application/octet-stream' },
    }),
  evidence: (id: string, evidenceId: string) => http.blob(`/api/awards/${id}/evidence/${evidenceId}`),
  /** With `excludeHouseholdIds`: leave out the households over a rule limit, post the others (issue 17). */
  approve: (id: string, body: ApproveAwardInput = {}) => http.post<ApproveResult>(`/api/awards/${id}/approve`, body),
  reject: (id: string, reason: string) => http.post<DecisionResult>(`/api/awards/${id}/reject`, { reason }),
  /** The awards on public notice now. */
  notices: (vid: string) => http.get<Page<AwardDetail>>(`/api/villages/${vid}/notices`),
  object: (id: string, text: string) => http.post<unknown>(`/api/awards/${id}/objections`, { text }),
  withdraw: (id: string, reason: string) => http.post<DecisionResult>(`/api/awards/${id}/withdraw`, { reason }),
}
