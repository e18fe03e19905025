import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext, unique } from '../../test/context.js'
import { appendEntries } from './ledger.service.js'
import { queryOne } from '../../test/db.js'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

async function setUp() {
  const v = await t.village()
  const h = await t.household(v.vid, v.tokens.clerk!)
  await t.db
    .transaction()
    .execute((trx) =>
      appendEntries(trx, v.vid, null, [
        { kind: 'award', householdId: h.id, amount: 100, counter: 'issuance', memo: '测试积分' },
      ]),
    )
  const p = await t.api.post(
    `/api/villages/${v.vid}/products`,
    { sku: unique('P'), name: '大米', pointsPrice: 30_000 },
    v.tokens.cashier,
  )
  await t.api.post(
    `/api/villages/${v.vid}/stock/receipts`,
    { items: [{ productId: p.body.id, quantity: 10 }] },
    v.tokens.cashier,
  )
  const card = await t.api.post(`/api/households/${h.id}/cards`, {}, v.tokens.clerk)
  return { v, h, productId: p.body.id as string, cardCode: card.body.code as string }
}

const snapshot = async () =>
  JSON.stringify(
    await queryOne(
      t.db,
      'select (select count(*) from ledger_entries) as e, (select count(*) from redemptions) as r, (select sum(stock) from products) as s',
    ),
  )
/** The one-cell edit of an insider with the database: raw SQL, past every service. */
const setBalance = (id: string, balance: number) =>
  t.db.updateTable('accounts').set({ balance }).where('id', '=', id).execute()

describe('a stored balance is a cache of the ledger, never a source of points', () => {
  test('accounts.balance edited to 90,000 with raw SQL: the sale is refused with 409 LEDGER_MISMATCH and changes nothing', async () => {
    const { v, h, productId, cardCode } = await setUp()
    await setBalance(h.id, 90000)
    const before = await snapshot()
    const res = await t.api.post(
      `/api/villages/${v.vid}/redemptions`,
      { cardCode, items: [{ productId, quantity: 3 }] },
      v.tokens.cashier,
      { 'idempotency-key': unique('k') },
    )
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('LEDGER_MISMATCH')
    expect(await snapshot()).toBe(before)
    // The committee sees it at once.
    const check = await t.api.get(`/api/villages/${v.vid}/ledger/balance-check`, v.tokens.clerk)
    expect(check.body).toMatchObject({ ok: false, mismatches: [{ householdId: h.id, balance: 90000, ledger: 100 }] })
    // Put back, the counter serves again (within the real balance only).
    await setBalance(h.id, 100)
    expect((await t.api.get(`/api/villages/${v.vid}/ledger/balance-check`, v.tokens.clerk)).body.ok).toBe(true)
    const poor = await t.api.post(
      `/api/villages/${v.vid}/redemptions`,
      { cardCode, items: [{ productId, quantity: 1 }] },
      v.tokens.cashier,
      { 'idempotency-key': unique('k') },
    )
    expect(poor.body.error.code).toBe('INSUFFICIENT_POINTS')
  })

  test('an award cannot post onto a balance that does not match its ledger either', async () => {
    const { v, h } = await setUp()
    await setBalance(h.id, 5)
    await expect(
      t.db
        .transaction()
        .execute((trx) =>
          appendEntries(trx, v.vid, null, [
            { kind: 'award', householdId: h.id, amount: 1, counter: 'issuance', memo: 'x' },
          ]),
        ),
    ).rejects.toMatchObject({ code: 'LEDGER_MISMATCH' })
  })
})
