import type { Period } from '../schemas/rules.js'

/** A rule of the village's catalogue as the API answers it (server/rules, read by the web app). */
export interface Rule {
  id: string
  villageId: string
  code: string
  name: string
  category: string
  points: number
  limit: { count: number; period: Period } | null
  evidence: string | null
  active: boolean
  createdAt: string
}
