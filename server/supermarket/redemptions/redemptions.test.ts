import { beforeAll, describe, expect, test } from 'vitest'
import { localDate } from '../../../shared/time.js'
import { type TestContext, testContext, unique } from '../../../test/context.js'
import { queryOne, queryRows } from '../../../test/db.js'
import { SYSTEM_ACTOR } from '../../core/actor.js'
import { verifyLedger } from '../../ledger/verify.js'
import {
  balance,
  count,
  fundedHousehold,
  movesSum,
  product,
  redeemVia,
  stockOf,
  type Village,
} from '../../../test/support/supermarket.js'

let t: TestContext
let v: Village
let redeem: ReturnType<typeof redeemVia>
beforeAll(async () => {
  t = await testContext()
  v = await t.village()
  redeem = redeemVia(t, v)
})

async function cardOf(householdId: string): Promise<string> {
  const card = await t.api.post(`/api/households/${householdId}/cards`, {}, v.tokens.clerk)
  expect(card.status).toBe(201)
  return card.body.code
}

describe('redeeming goods', () => {
  test('by card: points go to the supermarket through the ledger, goods leave stock, in one answer', async () => {
    const h = await fundedHousehold(t, v, 100)
    const soap = await product(t, v, { name: '香皂', pointsPrice: 30, unit: '块' }, 5)
    const res = await redeem({ cardCode: await cardOf(h.id), items: [{ productId: soap.id, quantity: 2 }] })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      pointsSpent: 60,
      balanceAfter: 40,
      householdId: h.id,
      householdNo: h.householdNo,
      voided: false,
    })
    expect(res.body.receiptNo).toMatch(/^\d{8}-\d{4}$/)
    expect(res.body.items).toEqual([
      expect.objectContaining({ productId: soap.id, name: '香皂', quantity: 2, unitPoints: 30, points: 60 }),
    ])
    expect(res.body.cardId).toBeTruthy()
    expect(await balance(t, v, h.id)).toBe(40)
    expect(await stockOf(t, v, soap.id)).toBe(3)
    expect(await movesSum(t, soap.id)).toBe(3)

    const ledger = await t.api.get(`/api/households/${h.id}/ledger`, v.tokens.auditor)
    const entry = ledger.body.entries.at(-1)
    expect(entry).toMatchObject({ kind: 'redemption', amount: -60, balanceAfter: 40, redemptionId: res.body.id })
    const supermarket = (await queryOne<{ balance: number }>(
      t.db,
      'select balance from accounts where id = ?',
      `${v.vid}:supermarket`,
    ))!
    expect(supermarket.balance).toBeGreaterThanOrEqual(60)
    expect((await verifyLedger(t.db, SYSTEM_ACTOR, v.vid)).ok).toBe(true)
  })

  test('by household id, several lines; the same product twice counts twice', async () => {
    const h = await fundedHousehold(t, v, 100)
    const oil = await product(t, v, { pointsPrice: 25 }, 10)
    const rice = await product(t, v, { pointsPrice: 10 }, 10)
    const res = await redeem({
      householdId: h.id,
      items: [
        { productId: oil.id, quantity: 1 },
        { productId: rice.id, quantity: 2 },
        { productId: oil.id, quantity: 1 },
      ],
    })
    expect(res.status).toBe(201)
    expect(res.body.pointsSpent).toBe(70)
    expect(res.body.items.map((i: any) => [i.productId, i.quantity]).sort()).toEqual(
      [
        [oil.id, 2],
        [rice.id, 2],
      ].sort(),
    )
    expect(await stockOf(t, v, oil.id)).toBe(8)
    expect(await balance(t, v, h.id)).toBe(30)
  })

  test('receipt numbers count up through the day', async () => {
    const h = await fundedHousehold(t, v, 100)
    const pen = await product(t, v, { pointsPrice: 1 }, 10)
    const a = await redeem({ householdId: h.id, items: [{ productId: pen.id, quantity: 1 }] })
    const b = await redeem({ householdId: h.id, items: [{ productId: pen.id, quantity: 1 }] })
    const [pa, na] = a.body.receiptNo.split('-')
    const [pb, nb] = b.body.receiptNo.split('-')
    expect(pa).toBe(localDate(new Date(), 'Asia/Shanghai').replaceAll('-', ''))
    expect(pb).toBe(pa)
    expect(Number(nb)).toBe(Number(na) + 1)
  })

  test('a day begun before the receipt counter existed goes on from the receipts already given, none twice', async () => {
    const h = await fundedHousehold(t, v, 100)
    const pen = await product(t, v, { pointsPrice: 1 }, 10)
    const a = await redeem({ householdId: h.id, items: [{ productId: pen.id, quantity: 1 }] })
    // As an installation upgraded mid-day finds it: receipts given today, no counter row yet.
    await t.db.deleteFrom('receipt_counters').where('village_id', '=', v.vid).execute()
    const b = await redeem({ householdId: h.id, items: [{ productId: pen.id, quantity: 1 }] })
    const c = await redeem({ householdId: h.id, items: [{ productId: pen.id, quantity: 1 }] })
    const numbers = [a, b, c].map((r) => Number(r.body.receiptNo.split('-')[1]))
    expect(numbers).toEqual([numbers[0], numbers[0]! + 1, numbers[0]! + 2])
  })
})

describe('all or nothing', () => {
  test('INSUFFICIENT_POINTS and OUT_OF_STOCK change nothing at all', async () => {
    const h = await fundedHousehold(t, v, 50)
    const oil = await product(t, v, { pointsPrice: 60 }, 10)
    const rice = await product(t, v, { pointsPrice: 10 }, 1)
    const before = {
      redemptions: await count(t, 'redemptions'),
      entries: await count(t, 'ledger_entries'),
      moves: await count(t, 'stock_moves'),
      keys: await count(t, 'idempotency_keys'),
    }
    const poor = await redeem({
      householdId: h.id,
      items: [
        { productId: rice.id, quantity: 1 },
        { productId: oil.id, quantity: 1 },
      ],
    })
    expect(poor.status).toBe(422)
    expect(poor.body.error.code).toBe('INSUFFICIENT_POINTS')
    expect(poor.body.error.details).toEqual({ balance: 50, pointsNeeded: 70 })
    const empty = await redeem({ householdId: h.id, items: [{ productId: rice.id, quantity: 2 }] })
    expect(empty.status).toBe(422)
    expect(empty.body.error.code).toBe('OUT_OF_STOCK')
    expect(empty.body.error.details).toEqual([expect.objectContaining({ productId: rice.id, stock: 1, requested: 2 })])
    expect(await balance(t, v, h.id)).toBe(50)
    expect(await stockOf(t, v, oil.id)).toBe(10)
    expect(await stockOf(t, v, rice.id)).toBe(1)
    expect({
      redemptions: await count(t, 'redemptions'),
      entries: await count(t, 'ledger_entries'),
      moves: await count(t, 'stock_moves'),
      keys: await count(t, 'idempotency_keys'),
    }).toEqual(before)
  })

  test('bad input is a 400; unknown, inactive and foreign products are refused; nothing moves', async () => {
    const h = await fundedHousehold(t, v, 100)
    const soap = await product(t, v, { pointsPrice: 10 }, 5)
    for (const body of [
      { householdId: h.id, items: [] },
      { householdId: h.id, items: [{ productId: soap.id, quantity: 0 }] },
      { householdId: h.id, items: [{ productId: soap.id, quantity: 1.5 }] },
      { items: [{ productId: soap.id, quantity: 1 }] },
      { householdId: h.id, cardCode: 'x', items: [{ productId: soap.id, quantity: 1 }] },
      { householdId: h.id, items: [{ productId: soap.id, quantity: 1 }], pin: 'abcd' },
    ]) {
      const res = await redeem(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
    }
    const unknown = await redeem({ householdId: h.id, items: [{ productId: 'nope', quantity: 1 }] })
    expect(unknown.status).toBe(404)
    const w = await t.village()
    const foreign = await product(t, w, { pointsPrice: 1 }, 5)
    const cross = await redeem({ householdId: h.id, items: [{ productId: foreign.id, quantity: 1 }] })
    expect(cross.status).toBe(404)
    const otherHousehold = await fundedHousehold(t, w, 100)
    const crossHousehold = await redeem({
      householdId: otherHousehold.id,
      items: [{ productId: soap.id, quantity: 1 }],
    })
    expect(crossHousehold.status).toBe(403)
    await t.api.patch(`/api/products/${soap.id}`, { active: false }, v.tokens.cashier)
    const inactive = await redeem({ householdId: h.id, items: [{ productId: soap.id, quantity: 1 }] })
    expect(inactive.status).toBe(409)
    expect(inactive.body.error.code).toBe('INVALID_STATE')
    expect(await balance(t, v, h.id)).toBe(100)
    expect(await balance(t, w, otherHousehold.id)).toBe(100)
    expect(await stockOf(t, v, soap.id)).toBe(5)
  })

  test('only a cashier (or admin) rings up a sale', async () => {
    const h = await fundedHousehold(t, v, 100)
    const soap = await product(t, v, { pointsPrice: 10 }, 5)
    for (const role of ['clerk', 'approver', 'auditor']) {
      const res = await redeem(
        { householdId: h.id, items: [{ productId: soap.id, quantity: 1 }] },
        unique('k'),
        v.tokens[role],
      )
      expect(res.status, role).toBe(403)
    }
    const w = await t.village()
    const stranger = await redeem(
      { householdId: h.id, items: [{ productId: soap.id, quantity: 1 }] },
      unique('k'),
      w.tokens.cashier,
    )
    expect(stranger.status).toBe(403)
    expect(await balance(t, v, h.id)).toBe(100)
  })

  test('a forged or revoked card is refused', async () => {
    const h = await fundedHousehold(t, v, 100)
    const soap = await product(t, v, { pointsPrice: 10 }, 5)
    const old = await cardOf(h.id)
    await cardOf(h.id)
    const revoked = await redeem({ cardCode: old, items: [{ productId: soap.id, quantity: 1 }] })
    expect(revoked.status).toBe(422)
    expect(revoked.body.error.code).toBe('CARD_REVOKED')
    const forged = await redeem({ cardCode: 'forged.code', items: [{ productId: soap.id, quantity: 1 }] })
    expect(forged.status).toBe(422)
    expect(forged.body.error.code).toBe('CARD_INVALID')
    expect(await balance(t, v, h.id)).toBe(100)
  })
})

describe('idempotency', () => {
  test('a retry spends once and gets the first answer; another body under the key is a 409; no key is a 400', async () => {
    const h = await fundedHousehold(t, v, 100)
    const tea = await product(t, v, { pointsPrice: 25 }, 10)
    const key = unique('k')
    const body = { householdId: h.id, items: [{ productId: tea.id, quantity: 1 }] }
    const first = await redeem(body, key)
    const retry = await redeem(body, key)
    expect(first.status).toBe(201)
    expect(retry.status).toBe(201)
    expect(retry.body).toEqual(first.body)
    expect(retry.headers.get('idempotency-replayed')).toBe('true')
    expect(await balance(t, v, h.id)).toBe(75)
    expect(await stockOf(t, v, tea.id)).toBe(9)

    const other = await redeem({ ...body, items: [{ productId: tea.id, quantity: 2 }] }, key)
    expect(other.status).toBe(409)
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED')
    const none = await redeem(body, null)
    expect(none.status).toBe(400)
    expect(none.body.error.code).toBe('VALIDATION_FAILED')
    expect(none.body.error.details[0].field).toBe('Idempotency-Key')
    expect(await balance(t, v, h.id)).toBe(75)
  })

  test('the key remembers the request, not its spelling: key order and split lines hash alike', async () => {
    const h = await fundedHousehold(t, v, 100)
    const tea = await product(t, v, { pointsPrice: 5 }, 10)
    const key = unique('k')
    const first = await redeem({ householdId: h.id, items: [{ productId: tea.id, quantity: 2 }] }, key)
    const again = await redeem(
      {
        items: [
          { quantity: 1, productId: tea.id },
          { productId: tea.id, quantity: 1 },
        ],
        householdId: h.id,
      },
      key,
    )
    expect(again.status).toBe(201)
    expect(again.body.id).toBe(first.body.id)
    expect(await balance(t, v, h.id)).toBe(90)
  })

  test('a refused sale keeps no key: the same key can be retried once the household can pay', async () => {
    const h = await fundedHousehold(t, v, 10)
    const tea = await product(t, v, { pointsPrice: 20 }, 10)
    const key = unique('k')
    const body = { householdId: h.id, items: [{ productId: tea.id, quantity: 1 }] }
    expect((await redeem(body, key)).body.error.code).toBe('INSUFFICIENT_POINTS')
    const { fund } = await import('../../../test/support/supermarket.js')
    await fund(t.db, v.vid, h.id, 10)
    const ok = await redeem(body, key)
    expect(ok.status).toBe(201)
    expect(ok.body.balanceAfter).toBe(0)
  })

  test('keys belong to a village: the same key in two villages is two sales', async () => {
    const w = await t.village()
    const key = unique('k')
    const hv = await fundedHousehold(t, v, 30)
    const hw = await fundedHousehold(t, w, 30)
    const pv = await product(t, v, { pointsPrice: 10 }, 5)
    const pw = await product(t, w, { pointsPrice: 10 }, 5)
    expect((await redeem({ householdId: hv.id, items: [{ productId: pv.id, quantity: 1 }] }, key)).status).toBe(201)
    expect(
      (await redeemVia(t, w)({ householdId: hw.id, items: [{ productId: pw.id, quantity: 1 }] }, key)).status,
    ).toBe(201)
    expect(await balance(t, v, hv.id)).toBe(20)
    expect(await balance(t, w, hw.id)).toBe(20)
  })

  test('parallel retries of one sale under one key spend once', async () => {
    const h = await fundedHousehold(t, v, 100)
    const tea = await product(t, v, { pointsPrice: 10 }, 50)
    const key = unique('k')
    const body = { householdId: h.id, items: [{ productId: tea.id, quantity: 1 }] }
    const results = await Promise.all(Array.from({ length: 10 }, () => redeem(body, key)))
    expect(results.every((r) => r.status === 201)).toBe(true)
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1)
    expect(await balance(t, v, h.id)).toBe(90)
    expect(await stockOf(t, v, tea.id)).toBe(49)
  })
})

describe('concurrency', () => {
  test('20 parallel sales of 20 points on 100 points: exactly 5 succeed, never overdrawn', async () => {
    const h = await fundedHousehold(t, v, 100)
    const pen = await product(t, v, { pointsPrice: 20 }, 100)
    const code = await cardOf(h.id)
    const results = await Promise.all(
      Array.from({ length: 20 }, () => redeem({ cardCode: code, items: [{ productId: pen.id, quantity: 1 }] })),
    )
    expect(results.filter((r) => r.status === 201)).toHaveLength(5)
    expect(results.filter((r) => r.status !== 201).map((r) => r.body.error.code)).toEqual(
      Array(15).fill('INSUFFICIENT_POINTS'),
    )
    expect(await balance(t, v, h.id)).toBe(0)
    expect(await stockOf(t, v, pen.id)).toBe(95)
    expect(await movesSum(t, pen.id)).toBe(95)
    expect(new Set(results.filter((r) => r.status === 201).map((r) => r.body.balanceAfter))).toEqual(
      new Set([80, 60, 40, 20, 0]),
    )
  })

  test('parallel sales never take more stock than there is', async () => {
    const pen = await product(t, v, { pointsPrice: 1 }, 7)
    const households = await Promise.all(Array.from({ length: 12 }, () => fundedHousehold(t, v, 10)))
    const results = await Promise.all(
      households.map((h) => redeem({ householdId: h.id, items: [{ productId: pen.id, quantity: 1 }] })),
    )
    expect(results.filter((r) => r.status === 201)).toHaveLength(7)
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'OUT_OF_STOCK')).toBe(true)
    expect(await stockOf(t, v, pen.id)).toBe(0)
    expect(await movesSum(t, pen.id)).toBe(0)
  })
})

describe('PIN', () => {
  test('a household with a PIN must give it; the right one passes and clears the count', async () => {
    const h = await fundedHousehold(t, v, 100, { pin: '2468' })
    const soap = await product(t, v, { pointsPrice: 10 }, 10)
    const items = [{ productId: soap.id, quantity: 1 }]
    const missing = await redeem({ householdId: h.id, items })
    expect(missing.status).toBe(422)
    expect(missing.body.error).toMatchObject({ code: 'WRONG_PIN', details: { pinRequired: true } })
    const wrong = await redeem({ householdId: h.id, items, pin: '1357' })
    expect(wrong.status).toBe(422)
    expect(wrong.body.error).toMatchObject({ code: 'WRONG_PIN', details: { attemptsLeft: 4 } })
    expect(JSON.stringify(wrong.body)).not.toContain('2468')
    const right = await redeem({ householdId: h.id, items, pin: '2468' })
    expect(right.status).toBe(201)
    expect(await balance(t, v, h.id)).toBe(90)
    const again = await redeem({ householdId: h.id, items, pin: '0000' })
    expect(again.body.error.details.attemptsLeft).toBe(4)
  })

  test('5 wrong PINs lock the household for 15 minutes, even against the right PIN; then it opens again', async () => {
    const h = await fundedHousehold(t, v, 100, { pin: '2468' })
    const soap = await product(t, v, { pointsPrice: 10 }, 10)
    const items = [{ productId: soap.id, quantity: 1 }]
    const answers = []
    for (let i = 0; i < 5; i++) answers.push(await redeem({ householdId: h.id, items, pin: '1111' }))
    expect(answers.map((a) => a.body.error.code)).toEqual(Array(5).fill('WRONG_PIN'))
    expect(answers.map((a) => a.body.error.details.attemptsLeft)).toEqual([4, 3, 2, 1, 0])
    const lockedUntil = Date.parse(answers[4]!.body.error.details.lockedUntil)
    expect(lockedUntil - Date.now()).toBeGreaterThan(14 * 60_000)
    expect(lockedUntil - Date.now()).toBeLessThanOrEqual(15 * 60_000)

    const locked = await redeem({ householdId: h.id, items, pin: '2468' })
    expect(locked.status).toBe(422)
    expect(locked.body.error.code).toBe('PIN_LOCKED')
    expect(await balance(t, v, h.id)).toBe(100)

    // The 15 minutes pass.
    await queryRows(
      t.db,
      'update households set pin_locked_until = ? where id = ?',
      new Date(Date.now() - 1000).toISOString(),
      h.id,
    )
    const open = await redeem({ householdId: h.id, items, pin: '2468' })
    expect(open.status).toBe(201)
    expect(await balance(t, v, h.id)).toBe(90)
  })

  test('parallel wrong PINs are all counted', async () => {
    const h = await fundedHousehold(t, v, 100, { pin: '2468' })
    const soap = await product(t, v, { pointsPrice: 10 }, 10)
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        redeem({ householdId: h.id, items: [{ productId: soap.id, quantity: 1 }], pin: '9999' }),
      ),
    )
    expect(results.every((r) => r.status === 422)).toBe(true)
    const row = (await queryOne<any>(t.db, 'select pin_failures, pin_locked_until from households where id = ?', h.id))!
    expect(row.pin_locked_until).not.toBeNull()
    expect(
      results.filter((r) => r.body.error.code === 'WRONG_PIN' && r.body.error.details.attemptsLeft === 0),
    ).toHaveLength(1)
  })
})

describe('suspension', () => {
  test('a suspended household gets REDEMPTION_SUSPENDED until the end of its last day', async () => {
    const h = await fundedHousehold(t, v, 100)
    const soap = await product(t, v, { pointsPrice: 10 }, 10)
    const items = [{ productId: soap.id, quantity: 1 }]
    const today = localDate(new Date(), 'Asia/Shanghai')
    const set = await t.api.post(
      `/api/households/${h.id}/suspension`,
      { until: today, reason: '严重违规' },
      v.tokens.approver,
    )
    expect(set.status).toBe(200)
    const res = await redeem({ householdId: h.id, items })
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('REDEMPTION_SUSPENDED')
    expect(res.body.error.details).toEqual({ suspendedUntil: today, reason: '严重违规' })
    expect(await balance(t, v, h.id)).toBe(100)

    const yesterday = localDate(Date.now() - 86_400_000, 'Asia/Shanghai')
    await t.api.post(`/api/households/${h.id}/suspension`, { until: yesterday, reason: '严重违规' }, v.tokens.approver)
    expect((await redeem({ householdId: h.id, items })).status).toBe(201)
  })
})
