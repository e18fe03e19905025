import type { CreateRuleInput, UpdateRuleInput } from '../../shared/schemas/rules.js'
import type { Page } from '../../shared/types/page.js'
import type { Rule } from '../../shared/types/rules.js'
import { http } from './client.js'

/** The village's rule catalogue. */
export const rules = {
  list: (vid: string, query: { limit?: number } = {}) =>
    http.get<Page<Rule>>(`/api/villages/${vid}/rules?limit=${query.limit ?? 500}`),
  create: (vid: string, body: CreateRuleInput) => http.post<Rule>(`/api/villages/${vid}/rules`, body),
  /** Adds the starter catalogue (the common rules of the source material). */
  addStarter: (vid: string) => http.post<unknown>(`/api/villages/${vid}/rules/starter`),
  update: (id: string, body: UpdateRuleInput) => http.patch<Rule>(`/api/rules/${id}`, body),
}
