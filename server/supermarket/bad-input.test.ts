import fc from 'fast-check'
import { beforeAll, expect, test } from 'vitest'
import { databaseChecksum } from '../../test/reliability/checksum.js'
import { type TestContext, testContext, unique } from '../../test/context.js'
import { fundedHousehold, product, redeemVia, type Village } from '../../test/support/supermarket.js'

/*
 * Bad input never gives a 500 and a refused request changes nothing: random JSON, and valid requests with
 * one field replaced by random JSON, at every supermarket endpoint that takes a body or a query.
 */

let t: TestContext
let v: Village
let hid: string
let pid: string
let rid: string
beforeAll(async () => {
  t = await testContext()
  v = await t.village()
  hid = (await fundedHousehold(t, v, 1_000_000)).id
  pid = (await product(t, v, { pointsPrice: 1 }, 1000)).id
  rid = (await redeemVia(t, v)({ householdId: hid, items: [{ productId: pid, quantity: 1 }] })).body.id
})

const valid = () => ({
  [`/api/villages/${v.vid}/products`]: {
    sku: 'S1',
    name: '毛巾',
    pointsPrice: 5,
    unit: '条',
    barcode: '123',
    lowStockThreshold: 1,
  },
  [`/api/products/${pid}`]: { name: '毛巾', pointsPrice: 5, active: true },
  [`/api/villages/${v.vid}/stock/receipts`]: {
    donor: '王',
    donorOrg: '社',
    note: 'n',
    items: [{ productId: pid, quantity: 1, bestBefore: '2099-01-01' }],
  },
  [`/api/villages/${v.vid}/stock/adjustments`]: { productId: pid, delta: -1, reason: '破损' },
  [`/api/villages/${v.vid}/stock/stocktakes`]: { note: 'n', counts: [{ productId: pid, counted: 3 }] },
  [`/api/villages/${v.vid}/redemptions`]: { householdId: hid, items: [{ productId: pid, quantity: 1 }] },
  [`/api/redemptions/${rid}/void`]: { reason: '退货' },
})

async function send(path: string, body: unknown, key: string) {
  const method = path.startsWith('/api/products/') ? 'PATCH' : 'POST'
  const raw = typeof body === 'string' ? body : JSON.stringify(body)
  return t.api.call(method, path, raw, v.tokens.cashier, { 'content-type': 'application/json', 'idempotency-key': key })
}

test('random bodies and broken fields: never a 500, and a refusal changes nothing', async () => {
  const paths = Object.keys(valid())
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...paths),
      fc.oneof(
        fc.jsonValue().map((j) => ({ replace: null as string | null, value: j })),
        fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue()).map(([k, j]) => ({ replace: k, value: j })),
        fc
          .tuple(
            fc.constantFrom(
              'items',
              'productId',
              'quantity',
              'pointsPrice',
              'delta',
              'counts',
              'reason',
              'householdId',
              'cardCode',
              'pin',
              'bestBefore',
              'sku',
              'barcode',
            ),
            fc.jsonValue(),
          )
          .map(([k, j]) => ({ replace: k, value: j })),
        fc.string({ maxLength: 40 }).map((s) => ({ replace: null, value: `{"broken": ${s}` })),
      ),
      fc.oneof(fc.constant(unique('k')), fc.string({ minLength: 1, maxLength: 300 })),
      async (path, mutation, key) => {
        const base = valid()[path] as Record<string, unknown>
        const body = mutation.replace === null ? mutation.value : { ...base, [mutation.replace]: mutation.value }
        const before = await databaseChecksum(t.db)
        const res = await send(path, body, key)
        expect(res.status, `${path} ${JSON.stringify(body).slice(0, 200)} → ${res.text.slice(0, 200)}`).toBeLessThan(
          500,
        )
        if (res.status >= 400) {
          expect(res.body?.error?.code, res.text).toMatch(/^[A-Z_]+$/)
          expect(await databaseChecksum(t.db), `${path} ${res.status} changed data`).toBe(before)
        }
      },
    ),
    { numRuns: 300 },
  )
})

test('bad query strings are a 400 or ignored, never a 500', async () => {
  const queries = fc.record({
    month: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('2024-02')),
    limit: fc.oneof(fc.string({ maxLength: 6 }), fc.integer().map(String)),
    cursor: fc.string({ maxLength: 30 }),
    kind: fc.string({ maxLength: 10 }),
    productId: fc.string({ maxLength: 10 }),
    householdId: fc.string({ maxLength: 10 }),
    q: fc.string({ maxLength: 10 }),
    barcode: fc.string({ maxLength: 10 }),
    active: fc.string({ maxLength: 5 }),
  })
  const lists = ['products', 'stock/receipts', 'stock/movements', 'stock/stocktakes', 'redemptions']
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...lists), queries, async (list, q) => {
      const res = await t.api.get(`/api/villages/${v.vid}/${list}?${new URLSearchParams(q)}`, v.tokens.auditor)
      expect(res.status, `${list} ${JSON.stringify(q)} → ${res.text.slice(0, 200)}`).toBeLessThan(500)
      if (res.status === 200) expect(Array.isArray(res.body.items)).toBe(true)
    }),
    { numRuns: 200 },
  )
})
