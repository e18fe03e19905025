import type { DB } from '../../db/database.js'
import type { ActingUser } from '../core/actor.js'
import { type Budget, budgetWarning } from './summary/summary.service.js'

/*
 * What the supermarket offers the rest of the server. Other features call these, never the supermarket's
 * sub-features (products/, stock/, donations/, redemptions/, summary/) directly.
 */

export type { Budget }

/**
 * Goods out for the relief shelf (server/relief/, issue 18): the products of a village (NOT_FOUND for another's)
 * and the stock moves, inside the caller's transaction; stock never below zero (OUT_OF_STOCK).
 */
export { appendMoves } from './stock/moves.js'
export { productsByIds } from './products/products.service.js'

/** The household's PIN as the counter checks it (one failure count and lockout), for a villager's phone sign-in. */
export { COUNTER_COLUMNS, checkPin, settlePin, wrongPin } from './redemptions/household-checks.js'

/**
 * 积分总额控制, for award approval: null while the goods on the shelves cover the points the households hold,
 * else the two figures to warn with.
 */
export const pointsBudgetWarning = (db: DB, actor: ActingUser, villageId: string): Promise<Budget | null> =>
  budgetWarning(db, actor, villageId)
