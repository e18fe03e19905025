import { z } from 'zod'
import { ROLES, id, optionalText, text } from './common.js'

export const loginInput = z.object({ username: text(64), password: z.string().min(1).max(256) })

export const password = z.string().min(8, 'at least 8 characters').max(256)

export const createUserInput = z.object({
  username: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[\p{L}\p{N}_.@-]+$/u, 'letters, digits, _ . @ - only'),
  password,
  roles: z.array(z.enum(ROLES)).min(1).max(5),
  villageId: id.optional().nullable(),
  displayName: optionalText(64),
})

export const updateUserInput = z.object({
  roles: z.array(z.enum(ROLES)).min(1).max(5).optional(),
  active: z.boolean().optional(),
  password: password.optional(),
  displayName: optionalText(64),
})

/** GET /users: an administrator may list one village's staff. */
export const userListQuery = z.object({ villageId: z.string().optional() })

export const changePasswordInput = z.object({ currentPassword: z.string().min(1).max(256), newPassword: password })

export type LoginInput = z.infer<typeof loginInput>
export type CreateUserInput = z.infer<typeof createUserInput>
