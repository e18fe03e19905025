import { beforeAll, describe, expect, test } from 'vitest'
import { ACCESS_MATRIX, mayCall } from '../../server/http/access-matrix.js'
import type { Role } from '../../shared/schemas/common.js'
import { type TestContext, testContext } from '../context.js'
import { databaseChecksum } from './checksum.js'
import { type FixtureVillage, SAMPLES, type SampleCall, fixtureVillage, servedRoutes, tokenFor } from './samples.js'

/*
 * The role × village access matrix: every endpoint, called as every role of village A, on village A's data
 * (allowed roles succeed, the others get 403 FORBIDDEN) and on village B's data (403 or 404, never a 2xx,
 * and the database is unchanged), plus once without a token (401, unchanged).
 */

const ROLES: Role[] = ['admin', 'clerk', 'approver', 'cashier', 'auditor']

let t: TestContext
let A: FixtureVillage
let B: FixtureVillage

beforeAll(async () => {
  t = await testContext()
  A = await fixtureVillage(t)
  B = await fixtureVillage(t)
})

const send = async (c: SampleCall, token?: string) =>
  t.api.call(c.method, c.path, c.body, await tokenFor(t, c, token), c.headers ?? {})

test('every route the app serves has a line in the access matrix and a sample request, and no line is stale', () => {
  const served = servedRoutes(t.app)
  expect(
    served.filter((r) => !(r in ACCESS_MATRIX)),
    'routes missing from server/http/access-matrix.ts',
  ).toEqual([])
  expect(
    Object.keys(ACCESS_MATRIX).filter((r) => !served.includes(r)),
    'matrix lines for routes that no longer exist',
  ).toEqual([])
  expect(
    served.filter((r) => !(r in SAMPLES)),
    'routes missing from test/reliability/samples.ts',
  ).toEqual([])
})

describe('every endpoint × every role × own and other village', () => {
  test.each(Object.keys(ACCESS_MATRIX))('%s', async (route) => {
    const access = ACCESS_MATRIX[route]!
    const sample = SAMPLES[route]!
    const wrong: string[] = []

    for (const role of ROLES) {
      const own = await sample(t, A)
      const res = await send(own, A.tokens[role])
      const expected = mayCall(access, [role])
      if (expected) {
        const good =
          own.allowedStatus !== undefined ? res.status === own.allowedStatus : res.status >= 200 && res.status < 300
        if (!good)
          wrong.push(
            `${role} on own village: expected ${own.allowedStatus ?? '2xx'}, got ${res.status} ${res.text.slice(0, 200)}`,
          )
      } else if (res.status !== 403 || res.body?.error?.code !== 'FORBIDDEN') {
        wrong.push(`${role} on own village: expected 403 FORBIDDEN, got ${res.status} ${res.text.slice(0, 200)}`)
      }

      if (!access.scope || access.who === 'public') continue
      const other = await sample(t, B)
      const before = await databaseChecksum(t.db)
      const cross = await send(other, A.tokens[role])
      if (role === 'admin') {
        // Administrators serve every village.
        if (cross.status >= 300 && cross.status !== other.allowedStatus)
          wrong.push(`admin on village B: got ${cross.status} ${cross.text.slice(0, 200)}`)
        continue
      }
      if (cross.status !== 403 && cross.status !== 404)
        wrong.push(`${role} on village B: expected 403 or 404, got ${cross.status} ${cross.text.slice(0, 200)}`)
      if ((await databaseChecksum(t.db)) !== before) wrong.push(`${role} on village B: the database changed`)
    }

    if (access.who !== 'public') {
      const call = await sample(t, A)
      const before = await databaseChecksum(t.db)
      const anon = await send(call)
      if (anon.status !== 401 || anon.body?.error?.code !== 'UNAUTHENTICATED')
        wrong.push(`no token: expected 401 UNAUTHENTICATED, got ${anon.status}`)
      if ((await databaseChecksum(t.db)) !== before) wrong.push('no token: the database changed')
    }

    expect(wrong).toEqual([])
  })
})

/*
 * A villager's token (a household signed in from its card on its own phone) opens that household's /api/me/*
 * and nothing else: every staff endpoint answers 403 FORBIDDEN and changes nothing, and nothing of another
 * household — of this village or another — comes back.
 */
describe("a villager's token", () => {
  test.each(Object.keys(ACCESS_MATRIX).filter((r) => ACCESS_MATRIX[r]!.who !== 'public'))('%s', async (route) => {
    const access = ACCESS_MATRIX[route]!
    const call = await SAMPLES[route]!(t, A)
    if (access.who === 'villager') {
      // Signing out ends the session it is sent with: a phone of its own.
      const token =
        route === 'POST /api/me/logout'
          ? (await t.api.post('/api/villager/login', { cardCode: A.cardCode })).body.token
          : A.villagerToken
      const res = await send(call, token)
      const good =
        call.allowedStatus !== undefined ? res.status === call.allowedStatus : res.status >= 200 && res.status < 300
      expect(good, `${res.status} ${res.text.slice(0, 200)}`).toBe(true)
      if (route === 'POST /api/me/logout') return
      const before = await databaseChecksum(t.db)
      const other = await send(call, B.villagerToken)
      if (call.path.includes(A.evidenceId) || call.path.includes(A.awardId)) expect(other.status, other.text).toBe(404)
      else if (other.status < 300) expect(other.text).not.toContain(A.householdNo)
      if (call.method === 'GET' || call.path.includes(A.awardId)) expect(await databaseChecksum(t.db)).toBe(before)
      return
    }
    const before = await databaseChecksum(t.db)
    const res = await send(call, A.villagerToken)
    expect([res.status, res.body?.error?.code], res.text.slice(0, 200)).toEqual([403, 'FORBIDDEN'])
    expect(await databaseChecksum(t.db)).toBe(before)
  })

  test("another household's photo, award or claim is never the villager's", async () => {
    const other = await t.household(A.vid, A.tokens.clerk!)
    const card = (await t.api.post(`/api/households/${other.id}/cards`, {}, A.tokens.clerk)).body
    const neighbour = (await t.api.post('/api/villager/login', { cardCode: card.code })).body.token
    expect((await t.api.get(`/api/me/evidence/${A.evidenceId}`, neighbour)).status).toBe(404)
    const claims = await t.api.get('/api/me/claims', neighbour)
    expect(claims.body.items).toEqual([])
    const me = await t.api.get('/api/me', neighbour)
    expect(me.body.household.id).toBe(other.id)
    const ledger = await t.api.get('/api/me/ledger', neighbour)
    expect(ledger.body.entries).toEqual([])
  })
})

describe('what a village sees of the others', () => {
  test("a village's staff list only their own village; an admin lists all", async () => {
    for (const role of ['clerk', 'approver', 'cashier', 'auditor']) {
      const res = await t.api.get('/api/villages', A.tokens[role])
      expect(res.body.items.map((v: any) => v.id)).toEqual([A.vid])
    }
    const all = await t.api.get('/api/villages', t.adminToken)
    expect(all.body.items.map((v: any) => v.id)).toEqual(expect.arrayContaining([A.vid, B.vid]))
  })

  test("another village's card code does not resolve at this village's counter", async () => {
    const res = await t.api.post(`/api/villages/${A.vid}/cards/resolve`, { code: B.cardCode }, A.tokens.cashier)
    expect(res.status).toBe(403)
    expect(res.text).not.toContain(B.householdNo)
  })

  test("an award of village A cannot name village B's households or rule", async () => {
    const before = await databaseChecksum(t.db)
    const byHousehold = await t.api.post(
      `/api/villages/${A.vid}/awards`,
      { ruleId: A.ruleId, householdIds: [B.hid], occurredOn: '2024-03-01' },
      A.tokens.clerk,
    )
    const byRule = await t.api.post(
      `/api/villages/${A.vid}/awards`,
      { ruleId: B.ruleId, householdIds: [A.hid], occurredOn: '2024-03-01' },
      A.tokens.clerk,
    )
    expect([byHousehold.status, byRule.status]).toEqual([400, 400])
    expect(await databaseChecksum(t.db)).toBe(before)
  })

  test('a household path of village A with a member or evidence id of village B finds nothing', async () => {
    const before = await databaseChecksum(t.db)
    const member = await t.api.delete(`/api/households/${A.hid}/members/${B.memberId}`, A.tokens.clerk)
    const evidence = await t.api.get(`/api/awards/${A.awardId}/evidence/${B.evidenceId}`, A.tokens.clerk)
    expect([member.status, evidence.status]).toEqual([404, 404])
    expect(await databaseChecksum(t.db)).toBe(before)
  })

  test("village A's receipt page does not print village B's donation receipt", async () => {
    const p = await t.api.post(
      `/api/villages/${B.vid}/products`,
      { sku: 'B-SOAP', name: '香皂', pointsPrice: 2 },
      B.tokens.cashier,
    )
    const r = await t.api.post(
      `/api/villages/${B.vid}/stock/receipts`,
      { donor: '乙村捐赠人', items: [{ productId: p.body.id, quantity: 2 }] },
      B.tokens.cashier,
    )
    expect(r.status).toBe(201)
    const res = await t.api.get(`/api/villages/${A.vid}/stock/receipts/${r.body.id}/print`, A.tokens.clerk)
    expect(res.status).toBe(404)
    expect(res.text).not.toContain('乙村捐赠人')
  })

  test("a redemption at village A cannot spend from village B's household or take village B's goods", async () => {
    const p = await t.api.post(
      `/api/villages/${B.vid}/products`,
      { sku: 'B-RICE', name: '大米', pointsPrice: 1 },
      B.tokens.cashier,
    )
    await t.api.post(
      `/api/villages/${B.vid}/stock/receipts`,
      { items: [{ productId: p.body.id, quantity: 5 }] },
      B.tokens.cashier,
    )
    const mine = await t.api.post(
      `/api/villages/${A.vid}/products`,
      { sku: 'A-RICE', name: '大米', pointsPrice: 1 },
      A.tokens.cashier,
    )
    await t.api.post(
      `/api/villages/${A.vid}/stock/receipts`,
      { items: [{ productId: mine.body.id, quantity: 5 }] },
      A.tokens.cashier,
    )
    const before = await databaseChecksum(t.db)
    const theirs = { householdId: B.hid, items: [{ productId: mine.body.id, quantity: 1 }] }
    const theirGoods = { householdId: A.hid, items: [{ productId: p.body.id, quantity: 1 }] }
    const theirCard = { cardCode: B.cardCode, items: [{ productId: mine.body.id, quantity: 1 }] }
    const answers = []
    for (const [i, body] of [theirs, theirGoods, theirCard].entries()) {
      answers.push(
        (
          await t.api.post(`/api/villages/${A.vid}/redemptions`, body, A.tokens.cashier, {
            'idempotency-key': `cross-${i}`,
          })
        ).status,
      )
    }
    expect(answers.every((s) => s >= 400 && s < 500)).toBe(true)
    expect(await databaseChecksum(t.db)).toBe(before)
  })
})
