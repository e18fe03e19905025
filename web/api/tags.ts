import type { TagCounts } from '../../shared/types/households.js'
import { http } from './client.js'

/** Household categories (issue 18): the counts for the dashboard. Setting them is households.update({tags}). */
export const tagsApi = {
  counts: (vid: string) => http.get<TagCounts>(`/api/villages/${vid}/tags`),
}
