import type { CreateUserInput } from '../../shared/schemas/auth.js'
import type { CreateVillageInput } from '../../shared/schemas/villages.js'
import type { Page } from '../../shared/types/page.js'
import type { User } from '../../shared/types/users.js'
import type { Village } from '../../shared/types/villages.js'
import { http } from './client.js'

/** Villages and their staff (the administrator's page, and the village chooser of the top bar). */
export const villages = {
  list: () => http.get<Page<Village>>('/api/villages'),
  create: (body: CreateVillageInput) => http.post<Village>('/api/villages', body),
}

export const users = {
  list: () => http.get<Page<User>>('/api/users'),
  create: (body: CreateUserInput) => http.post<User>('/api/users', body),
}
