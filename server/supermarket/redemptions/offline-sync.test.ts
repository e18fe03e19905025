import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { type TestContext, testContext, unique } from '../../../test/context.js'
import { balance, fundedHousehold, product, stockOf, type Village } from '../../../test/support/supermarket.js'

/*
 * Offline sales coming home: POST /api/villages/:vid/redemptions/sync answers posted / duplicate / conflict in
 * order, each sale through the redemption service with its own key; conflicts are kept and settled by an approver.
 */

let t: TestContext
let v: Village

beforeAll(async () => {
  t = await testContext()
  v = await t.village()
})

async function card(hid: string): Promise<string> {
  return (await t.api.post(`/api/households/${hid}/cards`, {}, v.tokens.clerk)).body.code
}
const sale = (fields: Record<string, unknown>) => ({
  idempotencyKey: unique('off-'),
  soldAt: new Date().toISOString(),
  ...fields,
})
const sync = (sales: unknown[], token = v.tokens.cashier, extra: Record<string, unknown> = {}) =>
  t.api.post(`/api/villages/${v.vid}/redemptions/sync`, { counterId: 'tablet-1', sales, ...extra }, token)
const verify = async () => (await t.api.get(`/api/villages/${v.vid}/ledger/verify`, v.tokens.auditor)).body.ok

describe('the counter snapshot', () => {
  it('has goods, balances, the allowance, and hashes of active cards only', async () => {
    const h = await fundedHousehold(t, v, 30, { pin: '1357' })
    const old = await card(h.id)
    const code = await card(h.id) // revokes the old one
    const p = await product(t, v, { pointsPrice: 5 }, 3)
    const res = await t.api.get(
      `/api/villages/${v.vid}/counter/snapshot?counterId=tablet-9&pending=2&oldestPendingAt=2026-01-01T00:00:00.000Z`,
      v.tokens.cashier,
    )
    expect(res.status).toBe(200)
    const s = res.body
    expect(s.offlineAllowance).toBe(50)
    expect(s.products.find((x: any) => x.id === p.id)).toMatchObject({ pointsPrice: 5, stock: 3 })
    const hh = s.households.find((x: any) => x.id === h.id)
    expect(hh).toMatchObject({ balance: 30, hasPin: true, offlineAllowance: 30 })
    expect(JSON.stringify(s)).not.toContain('pin_hash')
    const hash = (c: string) => createHash('sha256').update(c).digest('hex')
    expect(s.cards).toContainEqual({ hash: hash(code), householdId: h.id })
    expect(s.cards.map((c: any) => c.hash)).not.toContain(hash(old))
    expect(JSON.stringify(s)).not.toContain(code)
    // The report of the queue is kept for the committee.
    const counters = (await t.api.get(`/api/villages/${v.vid}/counters`, v.tokens.auditor)).body.items
    expect(counters.find((c: any) => c.counterId === 'tablet-9')).toMatchObject({
      pending: 2,
      oldestPendingAt: '2026-01-01T00:00:00.000Z',
    })
  })

  it('takes the village setting offlineAllowance', async () => {
    const res = await t.api.patch(`/api/villages/${v.vid}`, { offlineAllowance: 40 }, t.adminToken)
    expect(res.body.offlineAllowance).toBe(40)
    expect((await t.api.get(`/api/villages/${v.vid}/counter/snapshot`, v.tokens.cashier)).body.offlineAllowance).toBe(
      40,
    )
    await t.api.patch(`/api/villages/${v.vid}`, { offlineAllowance: 50 }, t.adminToken)
  })
})

describe('sync', () => {
  it('posts sales in order, each once; a resent key is a duplicate and spends nothing more', async () => {
    const h = await fundedHousehold(t, v, 100)
    const code = await card(h.id)
    const p = await product(t, v, { pointsPrice: 10 }, 10)
    const sales = [1, 2, 3].map((q) => sale({ cardCode: code, items: [{ productId: p.id, quantity: q }] }))
    const res = await sync(sales)
    expect(res.status).toBe(200)
    expect(res.body.results.map((r: any) => [r.idempotencyKey, r.status])).toEqual(
      sales.map((s) => [s.idempotencyKey, 'posted']),
    )
    expect(await balance(t, v, h.id)).toBe(40)
    expect(await stockOf(t, v, p.id)).toBe(4)
    // The answer was lost; the tablet sends them all again, plus a new one.
    const again = await sync([...sales, sale({ cardCode: code, items: [{ productId: p.id, quantity: 1 }] })])
    expect(again.body.results.map((r: any) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'posted'])
    expect(again.body.results[0].redemptionId).toBe(res.body.results[0].redemptionId)
    expect(await balance(t, v, h.id)).toBe(30)
    expect(await stockOf(t, v, p.id)).toBe(3)
    expect(await verify()).toBe(true)
    const counters = (await t.api.get(`/api/villages/${v.vid}/counters`, v.tokens.clerk)).body.items
    expect(counters.find((c: any) => c.counterId === 'tablet-1')).toMatchObject({ pending: 0, oldestPendingAt: null })
  })

  it('keeps a sale the points no longer cover as a conflict: nothing spent, listed with its key, conflict again when resent', async () => {
    const h = await fundedHousehold(t, v, 25)
    const code = await card(h.id)
    const p = await product(t, v, { pointsPrice: 20 }, 10)
    // Two tablets each sold 20 points offline to a household holding 25.
    const a = sale({ cardCode: code, items: [{ productId: p.id, quantity: 1 }], points: 20 })
    const b = sale({ cardCode: code, items: [{ productId: p.id, quantity: 1 }], points: 20 })
    const res = await sync([a, b])
    expect(res.body.results.map((r: any) => r.status)).toEqual(['posted', 'conflict'])
    expect(res.body.results[1].error.code).toBe('INSUFFICIENT_POINTS')
    expect(await balance(t, v, h.id)).toBe(5)
    expect(await stockOf(t, v, p.id)).toBe(9)
    const again = await sync([b])
    expect(again.body.results[0]).toMatchObject({ status: 'conflict', conflictId: res.body.results[1].conflictId })
    expect(await balance(t, v, h.id)).toBe(5)

    const list = await t.api.get(`/api/villages/${v.vid}/redemptions/conflicts`, v.tokens.approver)
    expect(list.status).toBe(200)
    const mine = list.body.items.filter((c: any) => c.householdId === h.id)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({
      idempotencyKey: b.idempotencyKey,
      status: 'open',
      points: 20,
      counterId: 'tablet-1',
    })
    for (const role of ['cashier', 'auditor'])
      expect((await t.api.get(`/api/villages/${v.vid}/redemptions/conflicts`, v.tokens[role])).status).toBe(200)
    expect((await t.api.get(`/api/villages/${v.vid}/redemptions/conflicts`, v.tokens.clerk)).status).toBe(403)

    // Settled by charging what the household has (5) and writing off the rest (15) with a reason.
    expect(
      (
        await t.api.post(
          `/api/redemption-conflicts/${mine[0].id}/settle`,
          { action: 'charge-available', reason: '两台平板同时离线' },
          v.tokens.cashier,
        )
      ).status,
    ).toBe(403)
    const settled = await t.api.post(
      `/api/redemption-conflicts/${mine[0].id}/settle`,
      { action: 'charge-available', reason: '两台平板同时离线' },
      v.tokens.approver,
    )
    expect(settled.status).toBe(200)
    expect(settled.body).toMatchObject({
      status: 'settled',
      settledAction: 'charge-available',
      charged: 5,
      writtenOff: 15,
      settledReason: '两台平板同时离线',
    })
    expect(settled.body.settledBy).toMatch(/^approver/)
    expect(await balance(t, v, h.id)).toBe(0)
    expect(await stockOf(t, v, p.id)).toBe(8)
    expect(await verify()).toBe(true)
    const twice = await t.api.post(
      `/api/redemption-conflicts/${mine[0].id}/settle`,
      { action: 'returned', reason: 'x' },
      v.tokens.approver,
    )
    expect(twice.status).toBe(409)
  })

  it('keeps a sale the stock no longer covers; settled as returned, nothing moves', async () => {
    const h = await fundedHousehold(t, v, 100)
    const code = await card(h.id)
    const p = await product(t, v, { pointsPrice: 1 }, 1)
    const res = await sync([sale({ cardCode: code, items: [{ productId: p.id, quantity: 2 }] })])
    expect(res.body.results[0]).toMatchObject({ status: 'conflict', error: { code: 'OUT_OF_STOCK' } })
    const settled = await t.api.post(
      `/api/redemption-conflicts/${res.body.results[0].conflictId}/settle`,
      { action: 'returned', reason: '货已退回' },
      v.tokens.approver,
    )
    expect(settled.body).toMatchObject({ status: 'settled', settledAction: 'returned', charged: 0 })
    expect(await balance(t, v, h.id)).toBe(100)
    expect(await stockOf(t, v, p.id)).toBe(1)
  })

  it('refuses a revoked card offline too: the sale is a conflict, never a charge', async () => {
    const h = await fundedHousehold(t, v, 100)
    const code = await card(h.id)
    await card(h.id) // reissued: the first card is revoked
    const p = await product(t, v, { pointsPrice: 1 }, 5)
    const res = await sync([sale({ cardCode: code, items: [{ productId: p.id, quantity: 1 }] })])
    expect(res.body.results[0]).toMatchObject({ status: 'conflict', error: { code: 'CARD_REVOKED' } })
    expect(await balance(t, v, h.id)).toBe(100)
  })

  it('checks the PIN a PIN household gave offline when the sale arrives', async () => {
    const h = await fundedHousehold(t, v, 100, { pin: '2468' })
    const code = await card(h.id)
    const p = await product(t, v, { pointsPrice: 3 }, 5)
    const res = await sync([
      sale({ cardCode: code, pin: '2468', items: [{ productId: p.id, quantity: 1 }] }),
      sale({ cardCode: code, pin: '1111', items: [{ productId: p.id, quantity: 1 }] }),
    ])
    expect(res.body.results.map((r: any) => r.status)).toEqual(['posted', 'conflict'])
    expect(res.body.results[1].error.code).toBe('WRONG_PIN')
    expect(await balance(t, v, h.id)).toBe(97)
  })

  it("validates the whole batch before anything moves, and is the cashier's", async () => {
    expect((await sync([{ idempotencyKey: 'x', items: [] }])).status).toBe(400)
    expect((await sync([], v.tokens.cashier)).status).toBe(400)
    const h = await fundedHousehold(t, v, 10)
    const p = await product(t, v, { pointsPrice: 1 }, 5)
    expect(
      (await sync([sale({ householdId: h.id, items: [{ productId: p.id, quantity: 1 }] })], v.tokens.clerk)).status,
    ).toBe(403)
  })
})
