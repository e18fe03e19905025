import type { Role } from '../schemas/common.js'

export type { Role }

/** A staff member as GET/POST /api/users answer (server/users, read by the web app's admin page). */
export interface User {
  id: string
  username: string
  displayName: string | null
  roles: Role[]
  villageId: string | null
  active: boolean
}

/** The signed-in staff member, as POST /api/auth/login answers. */
export interface SessionUser {
  id: string
  username: string
  roles: Role[]
  villageId: string | null
  displayName?: string | null
}

/** POST /api/auth/login */
export interface LoginResult {
  token: string
  user: SessionUser
  /** The generated first password: nothing but POST /auth/password works until it is changed (issue 13). */
  mustChangePassword?: boolean
}
