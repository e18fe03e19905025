import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../../test/context.js'
import { canonicalJson, KEEP_DAYS, purgeIdempotencyKeys, requestHash } from './idempotency.js'
import { queryRows } from '../../../test/db.js'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

describe('idempotency keys', () => {
  test('one request, however it is spelled, hashes alike; any real difference does not', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }], c: undefined })).toBe('{"a":[{"x":1,"y":2}],"b":1}')
    const h = (body: unknown, village = 'v1') => requestHash('redemption', village, body)
    expect(h({ householdId: 'h', items: [{ productId: 'p', quantity: 1 }] })).toBe(
      h({ items: [{ quantity: 1, productId: 'p' }], householdId: 'h' }),
    )
    expect(h({ householdId: 'h', items: [{ productId: 'p', quantity: 1 }] })).not.toBe(
      h({ householdId: 'h', items: [{ productId: 'p', quantity: 2 }] }),
    )
    expect(h({ householdId: 'h' })).not.toBe(h({ householdId: 'h' }, 'v2'))
  })

  test(`are kept ${KEEP_DAYS} days (far more than the 7 a retry could need), then forgotten`, async () => {
    const v = await t.village()
    const day = 86_400_000
    const now = Date.now()
    const insert = (key: string, ageDays: number) =>
      queryRows(
        t.db,
        'insert into idempotency_keys (village_id, key, request_hash, status, response, created_at) values (?, ?, ?, 201, ?, ?)',
        v.vid,
        key,
        'x',
        '{}',
        new Date(now - ageDays * day).toISOString(),
      )
    await insert('fresh', 0)
    await insert('week-old', 8)
    await insert('old', KEEP_DAYS + 1)
    expect(await purgeIdempotencyKeys(t.db, now)).toBeGreaterThanOrEqual(1)
    const left = (
      await queryRows<{ key: string }>(
        t.db,
        'select key from idempotency_keys where village_id = ? order by key',
        v.vid,
      )
    ).map((r) => r.key)
    expect(left).toEqual(['fresh', 'week-old'])
  })
})
