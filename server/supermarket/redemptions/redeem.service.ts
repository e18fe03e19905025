import type { DB } from '../../../db/database.js'
import { lockVillage, withTransaction } from '../../../db/database.js'
import { newId } from '../../../db/ids.js'
import type { RedemptionInput, RedemptionLineInput } from '../../../shared/schemas/supermarket.js'
import { localDate } from '../../../shared/time.js'
import type { Redemption } from '../../../shared/types/supermarket.js'
import { noteAudit } from '../../core/audit-context.js'
import { resolveCardCode } from '../../cards/cards.service.js'
import { type ActingUser, assertVillage } from '../../core/actor.js'
import { DomainError, forbidden, invalidState, notFound } from '../../core/errors.js'
import { appendEntries, householdBalances } from '../../ledger/ledger.service.js'
import { villageTimezone } from '../../villages/villages.service.js'
import { productsByIds } from '../products/products.service.js'
import { appendMoves, outOfStock } from '../stock/moves.js'
import {
  assertCardOrPin,
  assertNotSuspended,
  checkPin,
  COUNTER_COLUMNS,
  type CounterHousehold,
  type PinFailure,
  settlePin,
  wrongPin,
} from './household-checks.js'
import { findAnswer, requestHash, type StoredAnswer, storeAnswer } from './idempotency.js'

/*
 * A redemption is one counter sale: the household's points go to the supermarket account through the ledger,
 * the goods leave stock, and the client's Idempotency-Key is stored with the answer: all in one transaction,
 * or nothing. The transaction is BEGIN IMMEDIATE, so the balance and stock it reads cannot change before it
 * writes, also when a second process works on the same database file.
 */

export interface RedeemOutcome {
  status: number
  body: Redemption
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean
}

/** One line per product: a scanner that read the same item twice means two of it. */
export function mergeLines(items: RedemptionLineInput[]): RedemptionLineInput[] {
  const byProduct = new Map<string, number>()
  for (const i of items) byProduct.set(i.productId, (byProduct.get(i.productId) ?? 0) + i.quantity)
  return [...byProduct].sort(([a], [b]) => (a < b ? -1 : 1)).map(([productId, quantity]) => ({ productId, quantity }))
}

/** What the key's hash covers: who pays and for what. Never the PIN (a hash of 4 digits is no secret). */
function hashedRequest(villageId: string, input: RedemptionInput, lines: RedemptionLineInput[]) {
  return requestHash('redemption', villageId, {
    cardCode: input.cardCode,
    householdId: input.householdId,
    items: lines,
  })
}

async function counterHousehold(db: DB, villageId: string, householdId: string): Promise<CounterHousehold> {
  const h = await db.selectFrom('households').select(COUNTER_COLUMNS).where('id', '=', householdId).executeTakeFirst()
  if (!h) throw notFound('household')
  if (h.village_id !== villageId) throw forbidden("another village's household")
  return h
}

/** Receipt numbers count the village's redemptions of the day: 20260314-0007. */
async function nextReceiptNo(trx: DB, villageId: string, today: string): Promise<string> {
  const prefix = `${today.replaceAll('-', '')}-`
  const counter = await trx
    .selectFrom('receipt_counters')
    .select('last')
    .where('village_id', '=', villageId)
    .where('day', '=', today)
    .executeTakeFirst()
  let n: number
  if (counter) {
    n = counter.last + 1
    await trx
      .updateTable('receipt_counters')
      .set({ last: n })
      .where('village_id', '=', villageId)
      .where('day', '=', today)
      .execute()
  } else {
    // The day's first sale, or the first since the counters came (0095): go on from the receipts already given.
    const { given } = await trx
      .selectFrom('redemptions')
      .select((eb) => eb.fn.countAll<number>().as('given'))
      .where('village_id', '=', villageId)
      .where('receipt_no', '>=', prefix)
      .where('receipt_no', '<', `${prefix.slice(0, -1)}.`)
      .executeTakeFirstOrThrow()
    n = Number(given) + 1
    await trx.insertInto('receipt_counters').values({ village_id: villageId, day: today, last: n }).execute()
  }
  return `${prefix}${String(n).padStart(4, '0')}`
}

export interface RedeemContext {
  cardKey: Uint8Array
  now?: () => Date
}

/**
 * Redeems goods for a household, by card code or household id. Slow or outside-world work (the card's
 * signature, the PIN's scrypt) happens before the transaction; everything that must be true when points move
 * is checked again inside it.
 */
export async function redeem(
  db: DB,
  actor: ActingUser,
  villageId: string,
  key: string,
  input: RedemptionInput,
  ctx: RedeemContext,
): Promise<RedeemOutcome> {
  assertVillage(actor, villageId)
  const now = ctx.now?.() ?? new Date()
  const lines = mergeLines(input.items)
  const hash = hashedRequest(villageId, input, lines)
  const earlier = await findAnswer(db, villageId, key, hash)
  if (earlier) return replay(earlier)

  const card = input.cardCode ? await resolveCardCode(db, actor, villageId, input.cardCode, ctx.cardKey) : null
  const householdId = card?.householdId ?? input.householdId!
  const counter = await counterHousehold(db, villageId, householdId)
  assertCardOrPin(counter, card !== null)
  const proof = await checkPin(counter, input.pin, now)
  const today = localDate(now, await villageTimezone(db, actor, villageId))

  type Settled =
    | { kind: 'replay'; answer: StoredAnswer }
    | { kind: 'wrongPin'; failure: PinFailure }
    | { kind: 'done'; body: Redemption }
  const result = await withTransaction(db, async (trx): Promise<Settled> => {
    await lockVillage(trx, villageId)
    const again = await findAnswer(trx, villageId, key, hash)
    if (again) return { kind: 'replay', answer: again }
    const h = await counterHousehold(trx, villageId, householdId)
    if (card) await assertCardActive(trx, card.cardId)
    assertCardOrPin(h, card !== null)
    assertNotSuspended(h, today)
    const failure = await settlePin(trx, h, proof, now)
    // A wrong PIN is answered after the commit, so that the failure it counts is kept.
    if (failure) return { kind: 'wrongPin', failure }
    const body = await spend(trx, villageId, actor, h, card?.cardId ?? null, lines, today)
    // The audit row (written in this transaction) names the household, and marks a sale made without the card.
    noteAudit({
      householdId: h.id,
      changes: card ? { receiptNo: body.receiptNo } : { receiptNo: body.receiptNo, withoutCard: true },
    })
    await storeAnswer(trx, villageId, key, hash, { status: 201, body })
    return { kind: 'done', body }
  })
  if (result.kind === 'replay') return replay(result.answer)
  if (result.kind === 'wrongPin') throw wrongPin(result.failure)
  return { status: 201, body: result.body, replayed: false }
}

const replay = (a: StoredAnswer): RedeemOutcome => ({ status: a.status, body: a.body as Redemption, replayed: true })

/** The card may have been revoked (reported lost) between the scan and now. */
async function assertCardActive(trx: DB, cardId: string) {
  const c = await trx.selectFrom('cards').select('status').where('id', '=', cardId).executeTakeFirst()
  if (c?.status !== 'active') throw new DomainError('CARD_REVOKED', '这张卡已作废，请用新卡 (the card was revoked)')
}

/** The sale itself, inside the transaction: check goods and points, then move both. */
async function spend(
  trx: DB,
  villageId: string,
  actor: ActingUser,
  h: CounterHousehold,
  cardId: string | null,
  lines: RedemptionLineInput[],
  today: string,
): Promise<Redemption> {
  const products = await productsByIds(
    trx,
    villageId,
    lines.map((l) => l.productId),
  )
  const priced = lines.map((l) => {
    const p = products.get(l.productId)!
    return { product: p, quantity: l.quantity, points: p.points_price * l.quantity }
  })
  const inactive = priced.filter((l) => l.product.active !== 1)
  if (inactive.length)
    throw invalidState(`不再兑换的商品 (no longer on sale): ${inactive.map((l) => l.product.name).join('、')}`)
  const short = priced.filter((l) => l.product.stock < l.quantity)
  if (short.length) {
    throw outOfStock(
      short.map((l) => ({
        productId: l.product.id,
        name: l.product.name,
        stock: l.product.stock,
        requested: l.quantity,
      })),
    )
  }
  const pointsSpent = priced.reduce((s, l) => s + l.points, 0)
  const balances = await householdBalances(trx, [h.id])
  const balance = balances.get(h.id) ?? 0
  if (balance < pointsSpent) {
    throw new DomainError('INSUFFICIENT_POINTS', `积分不足：余额 ${balance}，需要 ${pointsSpent} (not enough points)`, {
      balance,
      pointsNeeded: pointsSpent,
    })
  }

  const id = newId()
  const receiptNo = await nextReceiptNo(trx, villageId, today)
  const [entry] = await appendEntries(
    trx,
    villageId,
    actor.id,
    [
      {
        kind: 'redemption',
        householdId: h.id,
        amount: -pointsSpent,
        counter: 'supermarket',
        memo: `爱心超市兑换 ${receiptNo}`,
        redemptionId: id,
      },
    ],
    balances,
  )
  const at = entry!.at
  await trx
    .insertInto('redemptions')
    .values({
      id,
      village_id: villageId,
      receipt_no: receiptNo,
      household_id: h.id,
      card_id: cardId,
      points_spent: pointsSpent,
      balance_after: entry!.balanceAfter,
      ledger_entry_id: entry!.id,
      at,
      cashier_id: actor.id,
      voided_at: null,
      voided_by: null,
      void_reason: null,
      void_entry_id: null,
    })
    .execute()
  await trx
    .insertInto('redemption_lines')
    .values(
      priced.map((l) => ({
        village_id: villageId,
        redemption_id: id,
        product_id: l.product.id,
        quantity: l.quantity,
        unit_points: l.product.points_price,
        points: l.points,
      })),
    )
    .execute()
  await appendMoves(
    trx,
    villageId,
    actor.id,
    priced.map((l) => ({
      productId: l.product.id,
      kind: 'redemption' as const,
      quantity: -l.quantity,
      unitPoints: l.product.points_price,
      redemptionId: id,
    })),
    at,
  )
  return {
    id,
    receiptNo,
    householdId: h.id,
    householdNo: h.household_no,
    cardId,
    pointsSpent,
    balanceAfter: entry!.balanceAfter,
    items: priced.map((l) => ({
      productId: l.product.id,
      sku: l.product.sku,
      name: l.product.name,
      unit: l.product.unit,
      quantity: l.quantity,
      unitPoints: l.product.points_price,
      points: l.points,
    })),
    at,
    cashierId: actor.id,
    ledgerEntryId: entry!.id,
    voided: false,
    voidedAt: null,
    voidedBy: null,
    voidReason: null,
    voidEntryId: null,
  }
}
