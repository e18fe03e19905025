import { beforeAll, describe, expect, test } from 'vitest'
import { cardCodeFromScan, cardQrText } from '../../shared/card-link.js'
import { localDate } from '../../shared/time.js'
import { type TestContext, testContext, unique } from '../../test/context.js'
import { issueCard } from '../cards/cards.service.js'
import { SYSTEM_ACTOR } from '../core/actor.js'
import { claimPhoto, declineClaim, listClaims } from './claims.service.js'

/*
 * The villager's side through the HTTP API: sign-in from the card (and PIN), the household's own account,
 * history, notices, 申报 and shop, the clerk's answer, and every way a phone's sign-in ends.
 */

let t: TestContext
let v: Awaited<ReturnType<TestContext['village']>>
const today = () => localDate(new Date(), 'Asia/Shanghai')
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)])

beforeAll(async () => {
  t = await testContext()
  v = await t.village({ noticeDays: 0 })
})

async function carded(fields: Record<string, unknown> = {}) {
  const h = await t.household(v.vid, v.tokens.clerk!, { headName: '许来福', ...fields })
  const card = (await t.api.post(`/api/households/${h.id}/cards`, {}, v.tokens.clerk)).body
  return { h, code: card.code as string, cardId: card.id as string }
}

async function signIn(code: string, pin?: string) {
  const res = await t.api.post('/api/villager/login', { cardCode: code, pin })
  expect(res.status, res.text).toBe(200)
  return res.body.token as string
}

async function rule(points = 10, fields: Record<string, unknown> = {}) {
  return (
    await t.api.post(
      `/api/villages/${v.vid}/rules`,
      { code: unique('R'), name: '清扫街道', category: '环境', points, ...fields },
      v.tokens.clerk,
    )
  ).body
}

/** An award proposed, evidenced and approved (noticeDays 0: posts at once). */
async function award(householdIds: string[], ruleId: string, memberId?: string) {
  const a = (
    await t.api.post(
      `/api/villages/${v.vid}/awards`,
      { ruleId, householdIds, occurredOn: today(), memberId },
      v.tokens.clerk,
    )
  ).body
  const e = (
    await t.api.call('POST', `/api/awards/${a.id}/evidence`, PNG, v.tokens.clerk, { 'content-type': 'image/png' })
  ).body
  expect((await t.api.post(`/api/awards/${a.id}/approve`, {}, v.tokens.approver)).body.status).toBe('posted')
  return { awardId: a.id as string, evidenceId: e.id as string }
}

describe('signing in with the card', () => {
  test('the bare code and the /me link both sign in; the answer names the household', async () => {
    const { h, code } = await carded()
    const res = await t.api.post('/api/villager/login', { cardCode: code })
    expect(res.status).toBe(200)
    expect(res.body.household).toEqual({ id: h.id, householdNo: h.householdNo, headName: '许来福' })
    const linked = await t.api.post('/api/villager/login', { cardCode: cardQrText(code, 'https://gongyi.example.cn/') })
    expect(linked.status).toBe(200)
  })

  test('a forged or revoked card is refused; so is a staff login on /api/me, and no token at all', async () => {
    const { code, cardId } = await carded()
    expect((await t.api.post('/api/villager/login', { cardCode: `${code.slice(0, -2)}xx` })).body.error.code).toBe(
      'CARD_INVALID',
    )
    await t.api.post(`/api/cards/${cardId}/revoke`, {}, v.tokens.clerk)
    const revoked = await t.api.post('/api/villager/login', { cardCode: code })
    expect([revoked.status, revoked.body.error.code]).toEqual([422, 'CARD_REVOKED'])
    expect((await t.api.get('/api/me', v.tokens.clerk)).status).toBe(403)
    expect((await t.api.get('/api/me', t.adminToken)).status).toBe(403)
    expect((await t.api.get('/api/me')).status).toBe(401)
  })

  test('a household with a PIN must give it; wrong PINs on the phone and at the counter share one lockout', async () => {
    const { h, code } = await carded({ pin: '2468' })
    const none = await t.api.post('/api/villager/login', { cardCode: code })
    expect(none.body.error).toMatchObject({ code: 'WRONG_PIN', details: { pinRequired: true } })
    const wrong = await t.api.post('/api/villager/login', { cardCode: code, pin: '1111' })
    expect(wrong.body.error).toMatchObject({ code: 'WRONG_PIN', details: { attemptsLeft: 4 } })
    // Two wrong at the counter, two more on the phone: the fifth locks both.
    const p = (
      await t.api.post(
        `/api/villages/${v.vid}/products`,
        { sku: unique('P'), name: '香皂', pointsPrice: 1 },
        v.tokens.cashier,
      )
    ).body
    for (let i = 0; i < 2; i++) {
      const sale = await t.api.post(
        `/api/villages/${v.vid}/redemptions`,
        { cardCode: code, items: [{ productId: p.id, quantity: 1 }], pin: '0000' },
        v.tokens.cashier,
        { 'idempotency-key': unique('k') },
      )
      expect(sale.body.error.code).toBe('WRONG_PIN')
    }
    await t.api.post('/api/villager/login', { cardCode: code, pin: '1112' })
    const last = await t.api.post('/api/villager/login', { cardCode: code, pin: '1113' })
    expect(last.body.error).toMatchObject({ code: 'WRONG_PIN', details: { attemptsLeft: 0 } })
    const locked = await t.api.post('/api/villager/login', { cardCode: code, pin: '2468' })
    expect(locked.body.error.code).toBe('PIN_LOCKED')
    await t.db
      .updateTable('households')
      .set({ pin_locked_until: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', h.id)
      .execute()
    expect((await t.api.post('/api/villager/login', { cardCode: code, pin: '2468' })).status).toBe(200)
  })

  test('a phone stays signed in until it signs out, the card is reissued or the PIN changes', async () => {
    const { h, code } = await carded({ pin: '1357' })
    const out = await signIn(code, '1357')
    expect((await t.api.get('/api/me', out)).status).toBe(200)
    expect((await t.api.post('/api/me/logout', {}, out)).status).toBe(204)
    expect((await t.api.get('/api/me', out)).body.error.details.reason).toBe('signed-out')

    const pinned = await signIn(code, '1357')
    await t.api.patch(`/api/households/${h.id}`, { pin: '1357' }, v.tokens.clerk) // the same PIN, set again
    expect((await t.api.get('/api/me', pinned)).body.error.details.reason).toBe('pin-changed')

    const reissued = await signIn(code, '1357')
    await t.api.post(`/api/households/${h.id}/cards`, {}, v.tokens.clerk)
    const res = await t.api.get('/api/me', reissued)
    expect([res.status, res.body.error.details.reason]).toEqual([401, 'card-revoked'])
  })

  test("a villager's token is no staff login, and a staff token no villager's", async () => {
    const { h, code } = await carded()
    const token = await signIn(code)
    for (const path of [
      `/api/households/${h.id}`,
      `/api/households/${h.id}/ledger`,
      '/api/auth/me',
      `/api/villages/${v.vid}/notices`,
    ]) {
      const res = await t.api.get(path, token)
      expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN'])
    }
  })
})

describe("the household's own account", () => {
  test('balance, honour and the place by honour: ties share a place', async () => {
    const village = await t.village({ noticeDays: 0 })
    const make = async () => {
      const h = await t.household(village.vid, village.tokens.clerk!)
      const card = (await t.api.post(`/api/households/${h.id}/cards`, {}, village.tokens.clerk)).body
      return { h, token: await signIn(card.code) }
    }
    const vr = (
      await t.api.post(
        `/api/villages/${village.vid}/rules`,
        { code: unique('R'), name: '孝老爱亲', category: '家风', points: 10 },
        village.tokens.clerk,
      )
    ).body
    const [a, b, c] = [await make(), await make(), await make()]
    const give = async (ids: string[]) => {
      const aw = (
        await t.api.post(
          `/api/villages/${village.vid}/awards`,
          { ruleId: vr.id, householdIds: ids, occurredOn: today() },
          village.tokens.clerk,
        )
      ).body
      await t.api.post(`/api/awards/${aw.id}/approve`, {}, village.tokens.approver)
    }
    await give([a.h.id, b.h.id])
    await give([a.h.id])
    const me = async (x: typeof a) => (await t.api.get('/api/me', x.token)).body
    expect(await me(a)).toMatchObject({ balance: 20, honour: 20, rank: { position: 1, of: 3, by: 'honour' } })
    await give([b.h.id])
    expect((await me(a)).rank.position).toBe(1)
    expect((await me(b)).rank.position).toBe(1)
    expect((await me(c)).rank).toEqual({ position: 3, of: 3, by: 'honour' })
  })

  test('history of a month: each entry with its rule, its member, and the photo of its own award only', async () => {
    const { h, code } = await carded({ members: [{ name: '许小福', relation: '子' }] })
    const token = await signIn(code)
    const full = (await t.api.get(`/api/households/${h.id}`, v.tokens.clerk)).body
    const r = await rule(5, { name: '门前三包' })
    const mine = await award([h.id], r.id, full.members[0].id)
    const other = await carded()
    const theirs = await award([other.h.id], r.id)

    const month = today().slice(0, 7)
    const res = await t.api.get(`/api/me/ledger?month=${month}`, token)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ month, openingBalance: 0, closingBalance: 5 })
    expect(res.body.entries).toHaveLength(1)
    expect(res.body.entries[0]).toMatchObject({
      amount: 5,
      kind: 'award',
      balanceAfter: 5,
      ruleName: '门前三包',
      memberName: '许小福',
      evidenceIds: [mine.evidenceId],
    })

    const photo = await t.api.get(`/api/me/evidence/${mine.evidenceId}`, token)
    expect([photo.status, photo.headers.get('content-type')]).toEqual([200, 'image/png'])
    expect((await t.api.get(`/api/me/evidence/${theirs.evidenceId}`, token)).status).toBe(404)
    expect((await t.api.get('/api/me/ledger?month=2024-13', token)).status).toBe(400)
  })
})

describe('notices, objections and the shop', () => {
  test("awards on notice with other households' names masked; an objection under the household's name", async () => {
    const village = await t.village({ noticeDays: 3 })
    const h1 = await t.household(village.vid, village.tokens.clerk!, { headName: '许来福' })
    const h2 = await t.household(village.vid, village.tokens.clerk!, { headName: '王秀英' })
    const card = (await t.api.post(`/api/households/${h2.id}/cards`, {}, village.tokens.clerk)).body
    const token = await signIn(card.code)
    const vr = (
      await t.api.post(
        `/api/villages/${village.vid}/rules`,
        { code: unique('R'), name: '志愿服务', category: '志愿', points: 8 },
        village.tokens.clerk,
      )
    ).body
    const aw = (
      await t.api.post(
        `/api/villages/${village.vid}/awards`,
        { ruleId: vr.id, householdIds: [h1.id, h2.id], occurredOn: today() },
        village.tokens.clerk,
      )
    ).body
    await t.api.post(`/api/awards/${aw.id}/approve`, {}, village.tokens.approver)

    const res = await t.api.get('/api/me/notices', token)
    expect(res.body.items).toHaveLength(1)
    const n = res.body.items[0]
    expect(n).toMatchObject({ id: aw.id, rule: { name: '志愿服务', points: 8 }, objections: 0 })
    const names = n.households.map((x: any) => x.headName)
    expect(names).toEqual(expect.arrayContaining(['许*福', '王秀英']))
    expect(res.text).not.toContain('许来福')

    const obj = await t.api.post(`/api/me/notices/${aw.id}/objections`, { text: '那天我家没参加' }, token)
    expect(obj.status).toBe(201)
    const detail = (await t.api.get(`/api/awards/${aw.id}`, village.tokens.clerk)).body
    expect(detail.objections).toEqual([
      expect.objectContaining({ text: '那天我家没参加', raisedBy: `${h2.householdNo} 王秀英` }),
    ])
    expect((await t.api.get('/api/me/notices', token)).body.items[0].objections).toBe(1)
    // Another village's award is not found from here.
    expect(
      (
        await t.api.post(
          `/api/me/notices/${(await award([(await carded()).h.id], (await rule()).id)).awardId}/objections`,
          { text: 'x' },
          token,
        )
      ).status,
    ).toBe(404)
  })

  test('the shop: what is in stock now and its price', async () => {
    const { code } = await carded()
    const token = await signIn(code)
    const village = v
    const soap = (
      await t.api.post(
        `/api/villages/${village.vid}/products`,
        { sku: unique('P'), name: '肥皂', pointsPrice: 3, unit: '块' },
        village.tokens.cashier,
      )
    ).body
    await t.api.post(
      `/api/villages/${village.vid}/products`,
      { sku: unique('P'), name: '空货架', pointsPrice: 9 },
      village.tokens.cashier,
    )
    await t.api.post(
      `/api/villages/${village.vid}/stock/receipts`,
      { items: [{ productId: soap.id, quantity: 4 }] },
      village.tokens.cashier,
    )
    const res = await t.api.get('/api/me/products', token)
    expect(res.body.items).toContainEqual({
      id: soap.id,
      name: '肥皂',
      category: null,
      unit: '块',
      pointsPrice: 3,
      stock: 4,
    })
    expect(res.body.items.map((p: any) => p.name)).not.toContain('空货架')
  })
})

describe('申报: a deed the household asks the committee to recognise', () => {
  test('submit with a photo; the clerk lists it, sees the photo, and accepts it into an award proposal with the photo as evidence', async () => {
    const { h, code } = await carded({ members: [{ name: '许二福' }] })
    const token = await signIn(code)
    const me = (await t.api.get('/api/me', token)).body
    const res = await t.api.post(
      '/api/me/claims',
      {
        description: '帮五保户王大爷修屋顶',
        occurredOn: today(),
        memberId: me.household.members[0].id,
        photo: `data:image/jpeg;base64,${JPEG.toString('base64')}`,
      },
      token,
    )
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ id: expect.any(String), status: 'submitted' })

    const list = await t.api.get(`/api/villages/${v.vid}/claims?status=submitted`, v.tokens.clerk)
    const item = list.body.items.find((c: any) => c.id === res.body.id)
    expect(item).toMatchObject({
      householdId: h.id,
      memberName: '许二福',
      description: '帮五保户王大爷修屋顶',
      hasPhoto: true,
      status: 'submitted',
    })
    const photo = await t.api.get(`/api/claims/${res.body.id}/photo`, v.tokens.auditor)
    expect([photo.status, photo.headers.get('content-type')]).toEqual([200, 'image/jpeg'])

    const r = await rule(15, { name: '扶贫济困' })
    const accepted = await t.api.post(`/api/claims/${res.body.id}/accept`, { ruleId: r.id }, v.tokens.clerk)
    expect(accepted.status).toBe(200)
    expect(accepted.body).toMatchObject({
      status: 'accepted',
      ruleName: '扶贫济困',
      award: { status: 'pending', householdCount: 1 },
    })
    const detail = (await t.api.get(`/api/awards/${accepted.body.awardId}`, v.tokens.clerk)).body
    expect(detail.households).toEqual([expect.objectContaining({ id: h.id, memberId: me.household.members[0].id })])
    expect(detail.evidence).toHaveLength(1)
    expect((await t.api.post(`/api/claims/${res.body.id}/decline`, { reply: '晚了' }, v.tokens.clerk)).status).toBe(409)

    await t.api.post(`/api/awards/${accepted.body.awardId}/approve`, {}, v.tokens.approver)
    expect((await t.api.get('/api/me', token)).body.balance).toBe(15)
    const mine = (await t.api.get('/api/me/claims', token)).body.items
    expect(mine[0]).toMatchObject({ id: res.body.id, status: 'accepted', awardId: accepted.body.awardId })
  })

  test('declined with a written reply: the household reads who answered, when and what', async () => {
    const { code } = await carded()
    const token = await signIn(code)
    const claim = (await t.api.post('/api/me/claims', { description: '打扫村口', occurredOn: today() }, token)).body
    expect((await t.api.post(`/api/claims/${claim.id}/decline`, {}, v.tokens.clerk)).status).toBe(400)
    expect((await t.api.post(`/api/claims/${claim.id}/decline`, { reply: 'x' }, v.tokens.cashier)).status).toBe(403)
    const declined = await t.api.post(
      `/api/claims/${claim.id}/decline`,
      { reply: '村口由保洁员负责，不计积分' },
      v.tokens.clerk,
    )
    expect(declined.body).toMatchObject({ status: 'declined', reply: '村口由保洁员负责，不计积分' })
    const mine = (await t.api.get('/api/me/claims', token)).body.items[0]
    expect(mine).toMatchObject({
      status: 'declined',
      reply: '村口由保洁员负责，不计积分',
      decidedBy: expect.any(String),
      decidedAt: expect.any(String),
    })
  })

  test("the claim services refuse another village's clerk with no route in between", async () => {
    const { code } = await carded()
    const claim = (await t.api.post('/api/me/claims', { description: '修路', occurredOn: today() }, await signIn(code)))
      .body
    const stranger = { id: 'someone', username: 'someone', roles: ['clerk' as const], villageId: 'another-village' }
    await expect(declineClaim(t.db, stranger, claim.id, 'no')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(claimPhoto(t.db, stranger, claim.id)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(listClaims(t.db, stranger, v.vid, { limit: 10 })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(declineClaim(t.db, stranger, 'no-such-claim', 'no')).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  test('bad claims change nothing: not a photo, too large, a future day, a stranger member or rule', async () => {
    const { code } = await carded()
    const token = await signIn(code)
    const other = await t.village()
    const otherRule = (
      await t.api.post(
        `/api/villages/${other.vid}/rules`,
        { code: unique('R'), name: 'x', category: 'x', points: 1 },
        other.tokens.clerk,
      )
    ).body
    const base = { description: '修路', occurredOn: today() }
    const cases: [Record<string, unknown>, number][] = [
      [{ photo: Buffer.from('GIF89a not a photo').toString('base64') }, 400],
      [{ photo: Buffer.concat([JPEG, Buffer.alloc(5 * 1024 * 1024)]).toString('base64') }, 413],
      [{ photo: '%%%not base64%%%' }, 400],
      [{ occurredOn: '2999-01-01' }, 400],
      [{ occurredOn: '2024-02-30' }, 400],
      [{ memberId: 'no-such-member' }, 400],
      [{ ruleId: otherRule.id }, 400],
      [{ description: '' }, 400],
    ]
    for (const [change, status] of cases) {
      const res = await t.api.post('/api/me/claims', { ...base, ...change }, token)
      expect(res.status, JSON.stringify(change).slice(0, 80)).toBe(status)
    }
    expect((await t.api.get('/api/me/claims', token)).body.items).toEqual([])
  })
})

describe('the counter takes either form of the card', () => {
  test('resolve and redemption accept the bare code and the /me link; cards carry the link when there is a public address', async () => {
    const { h, code } = await carded()
    const link = cardQrText(code, 'http://192.168.1.20:8080')
    expect(link).toBe(`http://192.168.1.20:8080/me#c=${code}`)
    expect(cardCodeFromScan(` ${link}\n`)).toBe(code)
    expect(cardCodeFromScan(code)).toBe(code)
    const resolved = await t.api.post(`/api/villages/${v.vid}/cards/resolve`, { code: link }, v.tokens.cashier)
    expect(resolved.body.household.id).toBe(h.id)
    const p = (
      await t.api.post(
        `/api/villages/${v.vid}/products`,
        { sku: unique('P'), name: '盐', pointsPrice: 0 },
        v.tokens.cashier,
      )
    ).body
    await t.api.post(
      `/api/villages/${v.vid}/stock/receipts`,
      { items: [{ productId: p.id, quantity: 1 }] },
      v.tokens.cashier,
    )

    const issued = await issueCard(
      t.db,
      SYSTEM_ACTOR,
      h.id,
      (await import('../auth/secrets.js').then((m) => m.loadSecrets(t.db))).cardKey,
      'https://cun.example.cn',
    )
    expect(issued.code).toMatch(/^https:\/\/cun\.example\.cn\/me#c=[\w-]+\.[\w-]+$/)
    expect((await t.api.post('/api/villager/login', { cardCode: issued.code })).status).toBe(200)
  })
})
