import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../test/context.js'

/*
 * Issue 13's attack: an approver alone added 1,000,000 points with an adjustment, or took a balance to −999,910.
 * Now an adjustment is a proposal that changes nothing until a second approver approves it, never below zero.
 */
let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

const balance = async (hid: string, token: string) =>
  (await t.api.get(`/api/households/${hid}/ledger`, token)).body.closingBalance as number

describe('two people for every point created', () => {
  test('one approver alone: +1,000,000 proposed, no balance moves; self-approval 403; a second approver posts it', async () => {
    const v = await t.village()
    const h = await t.household(v.vid, v.tokens.clerk!)
    const proposed = await t.api.post(
      `/api/households/${h.id}/adjustments`,
      { amount: 1_000_000, reason: '期初余额' },
      v.tokens.approver,
    )
    expect(proposed.status).toBe(201)
    expect(proposed.body).toMatchObject({ id: expect.any(String), status: 'pending' })
    expect(await balance(h.id, v.tokens.auditor!)).toBe(0)
    const self = await t.api.post(`/api/adjustments/${proposed.body.id}/approve`, {}, v.tokens.approver)
    expect(self.status).toBe(403)
    expect(self.body.error.code).toBe('SELF_APPROVAL')
    expect(await balance(h.id, v.tokens.auditor!)).toBe(0)
    // A clerk or a cashier cannot approve at all.
    expect((await t.api.post(`/api/adjustments/${proposed.body.id}/approve`, {}, v.tokens.cashier)).status).toBe(403)
    // The queue shows it beside the awards.
    const queue = await t.api.get(`/api/villages/${v.vid}/adjustments?status=pending`, v.tokens.approver2)
    expect(queue.body.items.map((a: any) => a.id)).toContain(proposed.body.id)
    const approved = await t.api.post(`/api/adjustments/${proposed.body.id}/approve`, {}, v.tokens.approver2)
    expect(approved.status).toBe(200)
    expect(approved.body).toMatchObject({ status: 'posted', balanceAfter: 1_000_000 })
    expect(await balance(h.id, v.tokens.auditor!)).toBe(1_000_000)
    // Deciding twice is refused.
    expect(
      (await t.api.post(`/api/adjustments/${proposed.body.id}/approve`, {}, v.tokens.approver2)).body.error.code,
    ).toBe('INVALID_STATE')
    expect((await t.api.get(`/api/villages/${v.vid}/ledger/verify`, v.tokens.auditor)).body.ok).toBe(true)
  })

  test('never below zero: −999,910 on 90 points is refused when proposed, and when approved after the points were spent', async () => {
    const v = await t.village()
    const h = await t.household(v.vid, v.tokens.clerk!)
    const add = await t.api.post(
      `/api/households/${h.id}/adjustments`,
      { amount: 90, reason: '期初余额' },
      v.tokens.approver,
    )
    await t.api.post(`/api/adjustments/${add.body.id}/approve`, {}, v.tokens.approver2)
    const drain = await t.api.post(
      `/api/households/${h.id}/adjustments`,
      { amount: -999_910, reason: '清零' },
      v.tokens.approver,
    )
    expect(drain.status).toBe(422)
    expect(drain.body.error.code).toBe('INSUFFICIENT_POINTS')
    // Within the balance when proposed; by approval another −60 has posted, so −50 would go below zero.
    const a = await t.api.post(
      `/api/households/${h.id}/adjustments`,
      { amount: -50, reason: '多记' },
      v.tokens.approver,
    )
    const b = await t.api.post(
      `/api/households/${h.id}/adjustments`,
      { amount: -60, reason: '多记' },
      v.tokens.approver,
    )
    expect((await t.api.post(`/api/adjustments/${b.body.id}/approve`, {}, v.tokens.approver2)).status).toBe(200)
    const late = await t.api.post(`/api/adjustments/${a.body.id}/approve`, {}, v.tokens.approver2)
    expect(late.status).toBe(422)
    expect(late.body.error.code).toBe('INSUFFICIENT_POINTS')
    expect(await balance(h.id, v.tokens.auditor!)).toBe(30)
    const rejected = await t.api.post(
      `/api/adjustments/${a.body.id}/reject`,
      { reason: '已经扣过了' },
      v.tokens.approver2,
    )
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: '已经扣过了' })
  })

  test("another village's approver cannot see or decide it", async () => {
    const v = await t.village()
    const other = await t.village()
    const h = await t.household(v.vid, v.tokens.clerk!)
    const p = await t.api.post(`/api/households/${h.id}/adjustments`, { amount: 5, reason: '补记' }, v.tokens.approver)
    expect((await t.api.post(`/api/adjustments/${p.body.id}/approve`, {}, other.tokens.approver)).status).toBe(403)
    expect((await t.api.get(`/api/villages/${v.vid}/adjustments`, other.tokens.approver)).status).toBe(403)
  })
})
