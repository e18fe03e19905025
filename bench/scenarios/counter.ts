import { withTransaction, openDatabase } from '../../db/database.js'
import { hashSecret } from '../../server/auth/auth.service.js'
import { type ActingUser, SYSTEM_ACTOR } from '../../server/core/actor.js'
import { loadSecrets } from '../../server/auth/secrets.js'
import { signToken } from '../../server/auth/tokens.js'
import { newId, nowIso } from '../../db/ids.js'
import { CARD_RESOLVE_LIMIT } from '../../server/http/rate-limit.js'
import { signCardCode } from '../../server/cards/card-code.js'
import { approveAdjustment, proposeAdjustment } from '../../server/ledger/adjustments.js'
import { createProduct } from '../../server/supermarket/products/products.service.js'
import { receiveStock } from '../../server/supermarket/donations/receipts.service.js'
import { BENCH_PASSWORD } from '../lib/credentials.js'
import { type BenchVillage, staffName, userId, villageNear } from '../lib/village.js'

/*
 * The counter of a typical village of the county database (the one nearest 450 households), made ready for
 * thousands of sales through the services: every household topped up by an adjustment, one product priced
 * at a point with ten million in stock, and every household's card code signed with the database's key.
 */

export interface Counter {
  file: string
  village: BenchVillage
  productId: string
  cashierId: string
  cardKey: Uint8Array
  codes: string[]
  /** Tokens of many cashiers of the village: card resolve is rate-limited per user (see cashierTokens). */
  cashierTokens: string[]
}

/**
 * Card resolve allows each user a burst of CARD_RESOLVE_LIMIT.burst and a few a second after (it stops a script
 * walking through codes). Measuring the endpoint's speed takes thousands a second, so the load is spread over
 * enough cashiers that none of them reaches the limit; the limiter itself stays in the measured path. They
 * share one password hash and get their tokens signed with the database's key (no scrypt per login).
 */
async function cashierTokens(
  db: Awaited<ReturnType<typeof openDatabase>>['db'],
  villageId: string,
  code: string,
  n: number,
): Promise<string[]> {
  const hash = await hashSecret(BENCH_PASSWORD)
  const rows = Array.from({ length: n }, (_, i) => ({
    id: newId(),
    username: `${code.toLowerCase()}-cashier-${i + 1}`,
    password_hash: hash,
    roles: 'cashier',
    village_id: villageId,
    display_name: `压力测试收银员${i + 1}`,
    created_at: nowIso(),
  }))
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('users')
      .values(rows.slice(i, i + 200))
      .execute()
  const { tokenKey } = await loadSecrets(db)
  return Promise.all(rows.map((r) => signToken(tokenKey, { sub: r.id, tv: 0 })))
}

/** Enough cashiers for this many resolves a second, over this many seconds, without one reaching the limit. */
export function cashiersFor(perSecond: number, seconds: number): number {
  return Math.ceil((perSecond * seconds) / (CARD_RESOLVE_LIMIT.burst + CARD_RESOLVE_LIMIT.perSecond * seconds))
}

export async function prepareCounter(file: string, resolveCashiers: number): Promise<Counter> {
  const { db, close } = openDatabase(file)
  try {
    const village = await villageNear(db, 450)
    const cashierId = await userId(db, staffName(village, 'cashier'))
    const approver: ActingUser = {
      id: await userId(db, staffName(village, 'approver')),
      username: staffName(village, 'approver'),
      roles: ['approver'],
      villageId: village.id,
    }
    const { cardKey } = await loadSecrets(db)
    const cards = await db
      .selectFrom('cards')
      .select(['id', 'household_id'])
      .where('village_id', '=', village.id)
      .where('status', '=', 'active')
      .orderBy('household_id')
      .execute()
    await withTransaction(db, async (trx) => {
      // Two people for every point created (issue 13): the village's approver proposes, the system approves.
      for (const c of cards) {
        await approveAdjustment(
          trx,
          SYSTEM_ACTOR,
          (await proposeAdjustment(trx, approver, c.household_id, 1_000_000, '压力测试充值 (benchmark top-up)')).id,
        )
      }
    })
    const product = await createProduct(db, SYSTEM_ACTOR, village.id, {
      sku: 'BENCH-1',
      name: '压力测试商品',
      pointsPrice: 1,
      category: '测试',
    })
    await receiveStock(
      db,
      { id: cashierId, username: 'bench-cashier', roles: ['cashier'], villageId: village.id },
      village.id,
      { donor: '压力测试', items: [{ productId: product.id, quantity: 10_000_000 }] },
    )
    const codes = await Promise.all(cards.map((c) => signCardCode(cardKey, c.id)))
    const tokens = await cashierTokens(db, village.id, village.code, resolveCashiers)
    return { file, village, productId: product.id, cashierId, cardKey, codes, cashierTokens: tokens }
  } finally {
    await close()
  }
}
