import type { Role } from '../../shared/schemas/common.js'
import { forbidden } from './errors.js'

/**
 * Who acts: the logged-in staff member on a request, or SYSTEM_ACTOR for work nobody asked for.
 * Every service function takes it as its second argument, `(db, actor, …)`, and checks the village itself.
 */
export interface ActingUser {
  id: string
  username: string
  roles: Role[]
  villageId: string | null
  /** Logged in with the generated first password: only changing it is allowed (http/access.ts). */
  mustChangePassword?: boolean
}

/**
 * The actor of scheduled jobs (posting awards whose notice ended, the annual reset), CLIs and scripts: no
 * user asked, so it acts in any village like an administrator. Rows that record who acted get null for it
 * (see actorIdOf), never a user id. Never give it to anything a request reaches.
 */
export const SYSTEM_ACTOR: ActingUser = Object.freeze({
  id: 'system',
  username: '(system)',
  roles: ['admin'],
  villageId: null,
}) as ActingUser

export const isAdmin = (actor: ActingUser) => actor.roles.includes('admin')

/** The user id to record as the one who acted: null for the system. */
export const actorIdOf = (actor: ActingUser): string | null => (actor === SYSTEM_ACTOR ? null : actor.id)

/** Refuses another village's data: administrators (villageId null) may act in any village. */
export function assertVillage(actor: ActingUser, villageId: string) {
  if (!isAdmin(actor) && actor.villageId !== villageId) throw forbidden("another village's data")
}

/**
 * A household signed in on its own phone with its card (server/villager): it acts for that one household of one
 * village and nothing more. The villager services take it where staff services take an ActingUser, `(db, v, …)`.
 */
export interface VillagerPrincipal {
  householdId: string
  villageId: string
  cardId: string
  sessionId: string
}

/**
 * The villager as an actor for the few shared services it reaches (its village's settings, its own ledger, an
 * objection under its name): no role, its own village only, recorded as the household.
 */
export function villagerActor(v: VillagerPrincipal, username = v.householdId): ActingUser {
  return { id: v.householdId, username, roles: [], villageId: v.villageId }
}
