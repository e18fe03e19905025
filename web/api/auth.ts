import type { z } from 'zod'
import type { changePasswordInput, LoginInput } from '../../shared/schemas/auth.js'
import type { LoginResult } from '../../shared/types/users.js'
import { http } from './client.js'

/** Signing in and out, and the staff member's own password. */
export const auth = {
  login: (body: LoginInput) => http.post<LoginResult>('/api/auth/login', body),
  logout: () => http.post<null>('/api/auth/logout'),
  changePassword: (body: z.infer<typeof changePasswordInput>) => http.post<null>('/api/auth/password', body),
}
