import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../../test/context.js'
import type { ActingUser } from '../../core/actor.js'
import { SYSTEM_ACTOR } from '../../core/actor.js'
import { verifyLedger } from '../../ledger/verify.js'
import { voidRedemption } from './void.service.js'
import {
  balance,
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

async function sale(points = 40, price = 40) {
  const h = await fundedHousehold(t, v, points)
  const salt = await product(t, v, { name: '盐', pointsPrice: price }, 1)
  const r = await redeem({ householdId: h.id, items: [{ productId: salt.id, quantity: 1 }] })
  expect(r.status).toBe(201)
  return { h, salt, r: r.body }
}

const staff = (role: 'cashier' | 'approver'): ActingUser => ({
  id: v.users[role]!,
  username: role,
  roles: [role],
  villageId: v.vid,
})

describe('void', () => {
  test('points and goods go back, linked to the original, once', async () => {
    const { h, salt, r } = await sale()
    expect(await balance(t, v, h.id)).toBe(0)
    const voided = await t.api.post(`/api/redemptions/${r.id}/void`, { reason: '退货' }, v.tokens.cashier)
    expect(voided.status).toBe(200)
    expect(voided.body).toMatchObject({
      id: r.id,
      voided: true,
      voidReason: '退货',
      voidedBy: v.users.cashier,
      balance: 40,
    })
    expect(await balance(t, v, h.id)).toBe(40)
    expect(await stockOf(t, v, salt.id)).toBe(1)
    expect(await movesSum(t, salt.id)).toBe(1)

    const ledger = await t.api.get(`/api/households/${h.id}/ledger`, v.tokens.auditor)
    const reversal = ledger.body.entries.find((e: any) => e.kind === 'reversal')
    expect(reversal).toMatchObject({
      amount: 40,
      reversesId: r.ledgerEntryId,
      redemptionId: r.id,
      id: voided.body.voidEntryId,
    })
    const moves = await t.api.get(`/api/villages/${v.vid}/stock/movements?productId=${salt.id}`, v.tokens.auditor)
    expect(moves.body.items.map((m: any) => [m.kind, m.quantity, m.redemptionId])).toEqual([
      ['receipt', 1, null],
      ['redemption', -1, r.id],
      ['void', 1, r.id],
    ])

    const twice = await t.api.post(`/api/redemptions/${r.id}/void`, { reason: '再退' }, v.tokens.approver)
    expect(twice.status).toBe(409)
    expect(twice.body.error.code).toBe('ALREADY_REVERSED')
    expect(await balance(t, v, h.id)).toBe(40)
    expect(await stockOf(t, v, salt.id)).toBe(1)
    expect((await verifyLedger(t.db, SYSTEM_ACTOR, v.vid)).ok).toBe(true)

    const listed = await t.api.get(`/api/redemptions/${r.id}`, v.tokens.auditor)
    expect(listed.body.voided).toBe(true)
  })

  test('parallel voids of one redemption give the points back once', async () => {
    const { h, salt, r } = await sale(50, 30)
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        t.api.post(`/api/redemptions/${r.id}/void`, { reason: '退货' }, v.tokens.cashier),
      ),
    )
    expect(results.filter((x) => x.status === 200)).toHaveLength(1)
    expect(results.filter((x) => x.status === 409)).toHaveLength(5)
    expect(await balance(t, v, h.id)).toBe(50)
    expect(await stockOf(t, v, salt.id)).toBe(1)
  })

  test('a void needs a reason; clerks and auditors cannot void; another village cannot', async () => {
    const { h, r } = await sale()
    expect((await t.api.post(`/api/redemptions/${r.id}/void`, {}, v.tokens.cashier)).status).toBe(400)
    for (const role of ['clerk', 'auditor']) {
      expect((await t.api.post(`/api/redemptions/${r.id}/void`, { reason: '退货' }, v.tokens[role])).status, role).toBe(
        403,
      )
    }
    const w = await t.village()
    expect((await t.api.post(`/api/redemptions/${r.id}/void`, { reason: '退货' }, w.tokens.approver)).status).toBe(403)
    expect(await balance(t, v, h.id)).toBe(0)
  })

  test('a cashier voids only the same day (village time); an approver any day', async () => {
    const { h, r } = await sale()
    const tomorrow = new Date(Date.now() + 86_400_000)
    await expect(voidRedemption(t.db, staff('cashier'), r.id, '隔天退货', tomorrow)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    expect(await balance(t, v, h.id)).toBe(0)
    const done = await voidRedemption(t.db, staff('approver'), r.id, '隔天退货', tomorrow)
    expect(done.voided).toBe(true)
    expect(await balance(t, v, h.id)).toBe(40)
  })

  test('a voided sale is not undone again through the ledger, and a redemption entry cannot be reversed there', async () => {
    const { r } = await sale()
    const viaLedger = await t.api.post(`/api/ledger/${r.ledgerEntryId}/reverse`, { reason: '错' }, v.tokens.approver)
    expect(viaLedger.status).toBeGreaterThanOrEqual(400)
    const voided = await t.api.post(`/api/redemptions/${r.id}/void`, { reason: '退货' }, v.tokens.cashier)
    expect(voided.status).toBe(200)
  })

  test('goods of a product taken off sale still go back to stock', async () => {
    const { salt, r } = await sale()
    await t.api.patch(`/api/products/${salt.id}`, { active: false }, v.tokens.cashier)
    expect((await t.api.post(`/api/redemptions/${r.id}/void`, { reason: '退货' }, v.tokens.cashier)).status).toBe(200)
    expect(await stockOf(t, v, salt.id)).toBe(1)
  })
})

describe('listing redemptions', () => {
  test('by month and household, newest first, with their lines', async () => {
    const w = await t.village()
    const h = await fundedHousehold(t, w, 100)
    const soap = await product(t, w, { pointsPrice: 10 }, 10)
    const r1 = await redeemVia(t, w)({ householdId: h.id, items: [{ productId: soap.id, quantity: 1 }] })
    const r2 = await redeemVia(t, w)({ householdId: h.id, items: [{ productId: soap.id, quantity: 2 }] })
    const month = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
    }).format(new Date())
    const res = await t.api.get(`/api/villages/${w.vid}/redemptions?month=${month}`, w.tokens.auditor)
    expect(res.status).toBe(200)
    expect(res.body.items.map((r: any) => r.id)).toEqual([r2.body.id, r1.body.id])
    expect(res.body.items[0].items[0]).toMatchObject({ productId: soap.id, quantity: 2, points: 20 })
    const page = await t.api.get(`/api/villages/${w.vid}/redemptions?householdId=${h.id}&limit=1`, w.tokens.auditor)
    expect(page.body.items).toHaveLength(1)
    const next = await t.api.get(
      `/api/villages/${w.vid}/redemptions?householdId=${h.id}&limit=1&cursor=${page.body.nextCursor}`,
      w.tokens.auditor,
    )
    expect(next.body.items.map((r: any) => r.id)).toEqual([r1.body.id])
    const old = await t.api.get(`/api/villages/${w.vid}/redemptions?month=2020-01`, w.tokens.auditor)
    expect(old.body.items).toEqual([])
    expect((await t.api.get(`/api/villages/${w.vid}/redemptions?month=2020-1`, w.tokens.auditor)).status).toBe(400)
  })
})
