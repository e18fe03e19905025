import type { z } from 'zod'
import type { adjustmentInput } from '../../shared/schemas/awards.js'
import type {
  CreateHouseholdInput,
  MemberInput,
  SuspensionInput,
  UpdateHouseholdInput,
} from '../../shared/schemas/households.js'
import type { Household, ImportResult } from '../../shared/types/households.js'
import type { MemberPatchInput } from '../../shared/schemas/tags.js'
import type { Page } from '../../shared/types/page.js'
import { http, qs, upload } from './client.js'

export interface HouseholdQuery {
  /** Matches the household number, the head's name or its pinyin initials. */
  q?: string
  /** Only the households of one category (issue 18). */
  tag?: string
  limit?: number
  cursor?: string | null
}

/** The roster: households, their members, the CSV import, and adjustments proposed for one household. */
export const households = {
  list: (vid: string, query: HouseholdQuery = {}) =>
    http.get<Page<Household>>(`/api/villages/${vid}/households${qs({ ...query })}`),
  get: (id: string) => http.get<Household>(`/api/households/${id}`),
  create: (vid: string, body: CreateHouseholdInput) => http.post<Household>(`/api/villages/${vid}/households`, body),
  update: (id: string, body: UpdateHouseholdInput) => http.patch<Household>(`/api/households/${id}`, body),
  addMember: (id: string, body: MemberInput) => http.post<Household>(`/api/households/${id}/members`, body),
  /** Marks a member 党员 or not (issue 18). */
  updateMember: (id: string, memberId: string, body: MemberPatchInput) =>
    http.patch<Household>(`/api/households/${id}/members/${memberId}`, body),
  removeMember: (id: string, memberId: string) => http.delete<Household>(`/api/households/${id}/members/${memberId}`),
  /** The roster as CSV or .xlsx (sent as its own type); `onProgress` gets 0..1 while sending. A bad row refuses all: 422 INVALID_ROWS. */
  importRoster: (vid: string, file: Blob, onProgress: (sent: number) => void) =>
    upload<ImportResult>(`/api/villages/${vid}/households/import`, file, file.type || 'text/csv', onProgress),
  /** Suspends the household's redemptions until a date with a reason (approver), or lifts it (until: null). */
  suspend: (id: string, body: SuspensionInput) => http.post<Household>(`/api/households/${id}/suspension`, body),
  /** A proposal: no balance changes until a second approver approves it. */
  proposeAdjustment: (id: string, body: z.infer<typeof adjustmentInput>) =>
    http.post<{ id: string; status: string }>(`/api/households/${id}/adjustments`, body),
}
