import type { DB } from '../../db/database.js'
import type { ActingUser } from '../core/actor.js'
import { type Budget, budgetWarning } from './summary/summary.service.js'

/*
 * What the supermarket offers the rest of the server. Other features call these, never the supermarket's
 * sub-features (products/, stock/, donations/, redemptions/, summary/) directly.
 */

export type { Budget }

/**
 * 积分总额控制, for award approval: null while the goods on the shelves cover the points the households hold,
 * else the two figures to warn with.
 */
export const pointsBudgetWarning = (db: DB, actor: ActingUser, villageId: string): Promise<Budget | null> =>
  budgetWarning(db, actor, villageId)
