import type { TestContext } from '../context.js'
import { unique } from '../context.js'
import { readToken, signToken } from '../../server/auth/tokens.js'

/*
 * One well-formed request per endpoint, for a given village: the access-matrix test sends it as every role,
 * and the fuzzer starts from it and breaks it. Requests that use something up (approving an award, revoking a
 * card, removing a member, reversing an entry) get a fresh one of their own each time, created legitimately
 * by that village's staff, so an allowed caller always sees success rather than "already done".
 */

export interface FixtureVillage {
  vid: string
  code: string
  tokens: Record<string, string>
  users: Record<string, string>
  hid: string
  householdNo: string
  memberId: string
  cardId: string
  cardCode: string
  ruleId: string
  awardId: string
  evidenceId: string
  entryId: string
  /** A staff member nobody logs in as, for PATCH /users/:id. */
  spareUserId: string
  /** The household `hid` signed in from its card on a phone (server/villager). */
  villagerToken: string
  /** A 申报 of that household, with a photo. */
  claimId: string
}

export interface SampleCall {
  method: string
  path: string
  /** JSON body (serialised by the client) or raw text/bytes with their content type in headers. */
  body?: unknown
  headers?: Record<string, string>
  /** The status an allowed caller gets; 2xx unless the sample cannot succeed without a side effect on the caller. */
  allowedStatus?: number
  /** The call ends the session it is sent with (logout): send it with a fresh token of the same user. */
  freshToken?: boolean
}

/** The token to send `call` with: the caller's own, or for a call that ends its session a new one of the same user. */
export async function tokenFor(
  t: TestContext,
  call: SampleCall,
  token: string | undefined,
): Promise<string | undefined> {
  if (!call.freshToken || !token) return token
  const claims = await readToken(t.secrets.tokenKey, token)
  return claims ? signToken(t.secrets.tokenKey, { sub: claims.sub, tv: claims.tv }) : token
}

export const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
])
/** The same bytes as a phone's 申报 sends them: base64 in the JSON body. */
export const PHOTO = Buffer.from(PNG).toString('base64')

function ok<T = any>(res: { status: number; body: any; text: string }, what: string): T {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`)
  return res.body as T
}

/** A village with one of everything, made through the API by its own staff. */
export async function fixtureVillage(t: TestContext): Promise<FixtureVillage> {
  // Awards wait on a notice board for three days, so there are publicized awards to withdraw.
  const v = await t.village({ noticeDays: 3 })
  const { clerk, approver } = v.tokens
  const h = await t.household(v.vid, clerk!, { members: [{ name: '张小三', relation: '子' }] })
  const card = ok(await t.api.post(`/api/households/${h.id}/cards`, {}, clerk), 'card')
  const rule = ok(
    await t.api.post(
      `/api/villages/${v.vid}/rules`,
      { code: unique('R'), name: '清扫街道', category: '环境', points: 5 },
      clerk,
    ),
    'rule',
  )
  const award = ok(
    await t.api.post(
      `/api/villages/${v.vid}/awards`,
      { ruleId: rule.id, householdIds: [h.id], occurredOn: '2024-03-01' },
      clerk,
    ),
    'award',
  )
  const evidence = ok(
    await t.api.call('POST', `/api/awards/${award.id}/evidence`, PNG, clerk, { 'content-type': 'image/png' }),
    'evidence',
  )
  // An adjustment posts only when a second approver approves it (issue 13).
  const proposed = ok(
    await t.api.post(`/api/households/${h.id}/adjustments`, { amount: 50, reason: '期初余额' }, v.tokens.approver2),
    'adjustment',
  )
  const entry = {
    id: ok(await t.api.post(`/api/adjustments/${proposed.id}/approve`, {}, approver), 'approve adjustment')
      .entryId as string,
  }
  const spare = ok(
    await t.api.post(
      '/api/users',
      { username: unique('spare'), password: 'spare-password', roles: ['auditor'], villageId: v.vid },
      t.adminToken,
    ),
    'user',
  )
  const villager = ok(await t.api.post('/api/villager/login', { cardCode: card.code }), 'villager login')
  const claim = ok(
    await t.api.post(
      '/api/me/claims',
      { description: '帮邻居收麦子', occurredOn: '2024-03-01', photo: PHOTO },
      villager.token,
    ),
    'claim',
  )
  return {
    ...v,
    hid: h.id,
    householdNo: h.householdNo,
    memberId: h.members[0].id,
    cardId: card.id,
    cardCode: card.code,
    ruleId: rule.id,
    awardId: award.id,
    evidenceId: evidence.id,
    entryId: entry.id,
    spareUserId: spare.id,
    villagerToken: villager.token,
    claimId: claim.id,
  }
}

const fresh = {
  async award(t: TestContext, v: FixtureVillage): Promise<string> {
    const body = { ruleId: v.ruleId, householdIds: [v.hid], occurredOn: '2024-03-02' }
    return ok(await t.api.post(`/api/villages/${v.vid}/awards`, body, v.tokens.clerk), 'fresh award').id
  },
  async publicizedAward(t: TestContext, v: FixtureVillage): Promise<string> {
    const id = await fresh.award(t, v)
    ok(await t.api.post(`/api/awards/${id}/approve`, {}, v.tokens.approver), 'approve fresh award')
    return id
  },
  async card(t: TestContext, v: FixtureVillage): Promise<string> {
    const h = await t.household(v.vid, v.tokens.clerk!)
    return ok(await t.api.post(`/api/households/${h.id}/cards`, {}, v.tokens.clerk), 'fresh card').id
  },
  async member(t: TestContext, v: FixtureVillage): Promise<string> {
    const h = ok(
      await t.api.post(`/api/households/${v.hid}/members`, { name: '临时成员' }, v.tokens.clerk),
      'fresh member',
    )
    return h.members[h.members.length - 1].id
  },
  async claim(t: TestContext, v: FixtureVillage): Promise<string> {
    return ok(
      await t.api.post('/api/me/claims', { description: '打扫村口', occurredOn: '2024-03-02' }, v.villagerToken),
      'fresh claim',
    ).id
  },
  /** A pending adjustment proposed by the second approver, so that the first (or an admin) may decide it. */
  async adjustment(t: TestContext, v: FixtureVillage): Promise<string> {
    return ok(
      await t.api.post(`/api/households/${v.hid}/adjustments`, { amount: 1, reason: '补记' }, v.tokens.approver2),
      'fresh adjustment',
    ).id
  },
  async entry(t: TestContext, v: FixtureVillage): Promise<string> {
    const id = await fresh.adjustment(t, v)
    return ok(await t.api.post(`/api/adjustments/${id}/approve`, {}, v.tokens.approver), 'fresh entry').entryId
  },
}

/** Fresh supermarket things of a village, made by its cashier: a product in stock, a donation, a sale. */
const shop = {
  async stocked(t: TestContext, v: FixtureVillage, stock = 5): Promise<{ productId: string; receiptId: string }> {
    const p = ok(
      await t.api.post(
        `/api/villages/${v.vid}/products`,
        { sku: unique('P'), name: '香皂', pointsPrice: 1 },
        v.tokens.cashier,
      ),
      'product',
    )
    const r = ok(
      await t.api.post(
        `/api/villages/${v.vid}/stock/receipts`,
        { donor: '爱心企业', items: [{ productId: p.id, quantity: stock }] },
        v.tokens.cashier,
      ),
      'receipt',
    )
    return { productId: p.id, receiptId: r.id }
  },
  product: async (t: TestContext, v: FixtureVillage, stock = 5) => (await shop.stocked(t, v, stock)).productId,
  receipt: async (t: TestContext, v: FixtureVillage) => (await shop.stocked(t, v, 1)).receiptId,
  /** The fixture household holds 50 points and more from the adjustment samples; each sale spends 1. */
  async redemption(t: TestContext, v: FixtureVillage): Promise<string> {
    const productId = await shop.product(t, v, 1)
    const body = { cardCode: v.cardCode, items: [{ productId, quantity: 1 }] }
    return ok(
      await t.api.post(`/api/villages/${v.vid}/redemptions`, body, v.tokens.cashier, {
        'idempotency-key': unique('k'),
      }),
      'redemption',
    ).id
  },
  /** An offline sale of more than the stock, synced: kept as a conflict for an approver. */
  async conflict(t: TestContext, v: FixtureVillage): Promise<string> {
    const productId = await shop.product(t, v, 1)
    const sale = {
      idempotencyKey: unique('off'),
      soldAt: new Date().toISOString(),
      cardCode: v.cardCode,
      items: [{ productId, quantity: 2 }],
    }
    const res = ok(
      await t.api.post(`/api/villages/${v.vid}/redemptions/sync`, { sales: [sale] }, v.tokens.cashier),
      'sync',
    )
    return res.results[0].conflictId
  },
}

/** Issue 18's records, each made legitimately by the village's own staff. */
const practice = {
  async relief(t: TestContext, v: FixtureVillage): Promise<string> {
    const body = {
      items: [{ productId: await shop.product(t, v, 2), quantity: 1 }],
      householdIds: [v.hid],
      note: '春节慰问',
    }
    return ok(await t.api.post(`/api/villages/${v.vid}/relief`, body, v.tokens.clerk), 'relief').id
  },
}

type Sample = (t: TestContext, v: FixtureVillage) => SampleCall | Promise<SampleCall>

/** Keyed like ACCESS_MATRIX: "METHOD /api/path/:param". */
export const SAMPLES: Record<string, Sample> = {
  'GET /api/health': () => ({ method: 'GET', path: '/api/health' }),
  'POST /api/auth/login': () => ({
    method: 'POST',
    path: '/api/auth/login',
    body: { username: unique('nobody'), password: 'wrong-password' },
    allowedStatus: 401,
  }),
  'GET /api/auth/me': () => ({ method: 'GET', path: '/api/auth/me' }),
  'POST /api/auth/logout': () => ({ method: 'POST', path: '/api/auth/logout', allowedStatus: 204, freshToken: true }),
  'GET /api/setup': () => ({ method: 'GET', path: '/api/setup' }),
  // The test app serves plain HTTP: no CA of its own to hand out.
  'GET /ca.crt': () => ({ method: 'GET', path: '/ca.crt', allowedStatus: 404 }),
  // Changing the password would end the caller's own session mid-test: an incomplete body shows the way in is open.
  'POST /api/auth/password': () => ({ method: 'POST', path: '/api/auth/password', body: {}, allowedStatus: 400 }),

  'POST /api/users': (_t, v) => ({
    method: 'POST',
    path: '/api/users',
    body: { username: unique('u'), password: 'new-user-password', roles: ['cashier'], villageId: v.vid },
  }),
  'GET /api/users': (_t, v) => ({ method: 'GET', path: `/api/users?villageId=${v.vid}` }),
  'PATCH /api/users/:id': (_t, v) => ({
    method: 'PATCH',
    path: `/api/users/${v.spareUserId}`,
    body: { displayName: '备用账号' },
  }),

  'POST /api/villages': () => ({ method: 'POST', path: '/api/villages', body: { code: unique('NV'), name: '新村' } }),
  'GET /api/villages': () => ({ method: 'GET', path: '/api/villages' }),
  'GET /api/villages/:vid': (_t, v) => ({ method: 'GET', path: `/api/villages/${v.vid}` }),
  'PATCH /api/villages/:vid': (_t, v) => ({
    method: 'PATCH',
    path: `/api/villages/${v.vid}`,
    body: { name: `测试村${v.code}` },
  }),

  'POST /api/villages/:vid/households': (_t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/households`,
    body: { householdNo: unique('H'), headName: '王五' },
  }),
  'GET /api/villages/:vid/households': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/households?q=zs&limit=5`,
  }),
  'POST /api/villages/:vid/households/import': (_t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/households/import`,
    body: `householdNo,headName,phone,address\n${unique('I')},赵六,13800000000,"一组, 3号"\n`,
    headers: { 'content-type': 'text/csv' },
  }),
  'GET /api/households/:hid': (_t, v) => ({ method: 'GET', path: `/api/households/${v.hid}` }),
  'PATCH /api/households/:hid': (_t, v) => ({
    method: 'PATCH',
    path: `/api/households/${v.hid}`,
    body: { address: '一组' },
  }),
  'POST /api/households/:hid/members': (_t, v) => ({
    method: 'POST',
    path: `/api/households/${v.hid}/members`,
    body: { name: '李小', relation: '女' },
  }),
  'PATCH /api/households/:hid/members/:mid': (_t, v) => ({
    method: 'PATCH',
    path: `/api/households/${v.hid}/members/${v.memberId}`,
    body: { partyMember: true },
  }),
  'DELETE /api/households/:hid/members/:mid': async (t, v) => ({
    method: 'DELETE',
    path: `/api/households/${v.hid}/members/${await fresh.member(t, v)}`,
  }),
  'POST /api/households/:hid/suspension': (_t, v) => ({
    method: 'POST',
    path: `/api/households/${v.hid}/suspension`,
    body: { until: null },
  }),

  'POST /api/households/:hid/cards': async (t, v) => ({
    method: 'POST',
    path: `/api/households/${(await t.household(v.vid, v.tokens.clerk!)).id}/cards`,
    body: {},
  }),
  'GET /api/households/:hid/cards': (_t, v) => ({ method: 'GET', path: `/api/households/${v.hid}/cards` }),
  'POST /api/cards/:cardId/revoke': async (t, v) => ({
    method: 'POST',
    path: `/api/cards/${await fresh.card(t, v)}/revoke`,
    body: {},
  }),
  'GET /api/cards/:cardId/svg': (_t, v) => ({ method: 'GET', path: `/api/cards/${v.cardId}/svg` }),
  'POST /api/villages/:vid/cards/resolve': (_t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/cards/resolve`,
    body: { code: v.cardCode },
  }),
  'GET /api/villages/:vid/cards/print': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/cards/print?householdIds=${v.hid}`,
  }),

  'POST /api/villages/:vid/rules': (_t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/rules`,
    body: { code: unique('R'), name: '孝老爱亲', category: '家风', points: 10, limit: { count: 1, period: 'month' } },
  }),
  'POST /api/villages/:vid/rules/starter': (_t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/rules/starter`,
    body: {},
  }),
  'GET /api/villages/:vid/rules': (_t, v) => ({ method: 'GET', path: `/api/villages/${v.vid}/rules?active=true` }),
  'GET /api/rules/:id': (_t, v) => ({ method: 'GET', path: `/api/rules/${v.ruleId}` }),
  'PATCH /api/rules/:id': (_t, v) => ({
    method: 'PATCH',
    path: `/api/rules/${v.ruleId}`,
    body: { category: '环境卫生' },
  }),

  'POST /api/villages/:vid/awards': (_t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/awards`,
    body: { ruleId: v.ruleId, householdIds: [v.hid], occurredOn: '2024-03-03', note: '门前三包' },
  }),
  'GET /api/villages/:vid/awards': (_t, v) => ({ method: 'GET', path: `/api/villages/${v.vid}/awards?status=pending` }),
  'GET /api/villages/:vid/notices': (_t, v) => ({ method: 'GET', path: `/api/villages/${v.vid}/notices` }),
  'GET /api/awards/:id': (_t, v) => ({ method: 'GET', path: `/api/awards/${v.awardId}` }),
  'POST /api/awards/:id/approve': async (t, v) => ({
    method: 'POST',
    path: `/api/awards/${await fresh.award(t, v)}/approve`,
    body: {},
  }),
  'POST /api/awards/:id/reject': async (t, v) => ({
    method: 'POST',
    path: `/api/awards/${await fresh.award(t, v)}/reject`,
    body: { reason: '证据不足' },
  }),
  'POST /api/awards/:id/withdraw': async (t, v) => ({
    method: 'POST',
    path: `/api/awards/${await fresh.publicizedAward(t, v)}/withdraw`,
    body: { reason: '村民有异议' },
  }),
  'POST /api/awards/:id/objections': (_t, v) => ({
    method: 'POST',
    path: `/api/awards/${v.awardId}/objections`,
    body: { text: '那天不是他扫的' },
  }),
  'POST /api/awards/:id/evidence': (_t, v) => ({
    method: 'POST',
    path: `/api/awards/${v.awardId}/evidence`,
    body: PNG,
    headers: { 'content-type': 'image/png' },
  }),
  'GET /api/awards/:id/evidence/:eid': (_t, v) => ({
    method: 'GET',
    path: `/api/awards/${v.awardId}/evidence/${v.evidenceId}`,
  }),

  'GET /api/households/:hid/ledger': (_t, v) => ({ method: 'GET', path: `/api/households/${v.hid}/ledger` }),
  'POST /api/households/:hid/adjustments': (_t, v) => ({
    method: 'POST',
    path: `/api/households/${v.hid}/adjustments`,
    body: { amount: 3, reason: '盘点更正' },
  }),
  'POST /api/adjustments/:id/approve': async (t, v) => ({
    method: 'POST',
    path: `/api/adjustments/${await fresh.adjustment(t, v)}/approve`,
    body: {},
  }),
  'POST /api/adjustments/:id/reject': async (t, v) => ({
    method: 'POST',
    path: `/api/adjustments/${await fresh.adjustment(t, v)}/reject`,
    body: { reason: '依据不足' },
  }),
  'GET /api/villages/:vid/adjustments': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/adjustments?status=pending`,
  }),
  'POST /api/ledger/:entryId/reverse': async (t, v) => ({
    method: 'POST',
    path: `/api/ledger/${await fresh.entry(t, v)}/reverse`,
    body: { reason: '录错了' },
  }),
  'GET /api/villages/:vid/ledger/verify': (_t, v) => ({ method: 'GET', path: `/api/villages/${v.vid}/ledger/verify` }),
  'POST /api/villages/:vid/ledger/verify': (_t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/ledger/verify`,
    body: { checkpoints: [] },
    allowedStatus: 200,
  }),
  'GET /api/villages/:vid/ledger/checkpoint': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/ledger/checkpoint`,
  }),
  'GET /api/villages/:vid/ledger/balance-check': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/ledger/balance-check`,
  }),

  'GET /api/villages/:vid/audit': (_t, v) => ({ method: 'GET', path: `/api/villages/${v.vid}/audit?limit=5` }),

  'POST /api/villages/:vid/products': (_t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/products`,
    body: { sku: unique('P'), name: '毛巾', pointsPrice: 8, unit: '条' },
  }),
  'GET /api/villages/:vid/products': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/products?active=true&limit=5`,
  }),
  'GET /api/products/:id': async (t, v) => ({ method: 'GET', path: `/api/products/${await shop.product(t, v)}` }),
  'PATCH /api/products/:id': async (t, v) => ({
    method: 'PATCH',
    path: `/api/products/${await shop.product(t, v)}`,
    body: { lowStockThreshold: 2 },
  }),
  'POST /api/villages/:vid/stock/receipts': async (t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/stock/receipts`,
    body: { donor: '王老板', items: [{ productId: await shop.product(t, v), quantity: 3, bestBefore: '2099-01-01' }] },
  }),
  'GET /api/villages/:vid/stock/receipts': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/stock/receipts?limit=5`,
  }),
  'GET /api/villages/:vid/stock/receipts/:rid/print': async (t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/stock/receipts/${await shop.receipt(t, v)}/print`,
  }),
  'GET /api/stock/receipts/:id': async (t, v) => ({
    method: 'GET',
    path: `/api/stock/receipts/${await shop.receipt(t, v)}`,
  }),
  'GET /api/stock/receipts/:id/print': async (t, v) => ({
    method: 'GET',
    path: `/api/stock/receipts/${await shop.receipt(t, v)}/print`,
  }),
  'POST /api/villages/:vid/stock/adjustments': async (t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/stock/adjustments`,
    body: { productId: await shop.product(t, v), delta: -1, reason: '破损' },
  }),
  'POST /api/villages/:vid/stock/stocktakes': async (t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/stock/stocktakes`,
    body: { note: '月底盘点', counts: [{ productId: await shop.product(t, v), counted: 4 }] },
  }),
  'GET /api/villages/:vid/stock/stocktakes': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/stock/stocktakes`,
  }),
  'GET /api/villages/:vid/stock/movements': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/stock/movements?month=2024-03`,
  }),
  'GET /api/villages/:vid/stock/alerts': (_t, v) => ({ method: 'GET', path: `/api/villages/${v.vid}/stock/alerts` }),
  'GET /api/villages/:vid/supermarket/summary': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/supermarket/summary`,
  }),
  'GET /api/villages/:vid/supermarket/by-category': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/supermarket/by-category?month=2024-03`,
  }),
  'POST /api/villages/:vid/redemptions': async (t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/redemptions`,
    body: { cardCode: v.cardCode, items: [{ productId: await shop.product(t, v), quantity: 1 }] },
    headers: { 'idempotency-key': unique('k') },
  }),
  'GET /api/villages/:vid/counter/snapshot': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/counter/snapshot?counterId=matrix&pending=0`,
  }),
  'POST /api/villages/:vid/counter/heartbeat': (_t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/counter/heartbeat`,
    body: { counterId: 'matrix', pending: 0 },
  }),
  'GET /api/villages/:vid/counters': (_t, v) => ({ method: 'GET', path: `/api/villages/${v.vid}/counters` }),
  'POST /api/villages/:vid/redemptions/sync': async (t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/redemptions/sync`,
    body: {
      counterId: 'matrix',
      sales: [
        {
          idempotencyKey: unique('off'),
          soldAt: new Date().toISOString(),
          householdId: v.hid,
          items: [{ productId: await shop.product(t, v), quantity: 1 }],
        },
      ],
    },
  }),
  'GET /api/villages/:vid/redemptions/conflicts': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/redemptions/conflicts`,
  }),
  'POST /api/redemption-conflicts/:id/settle': async (t, v) => ({
    method: 'POST',
    path: `/api/redemption-conflicts/${await shop.conflict(t, v)}/settle`,
    body: { action: 'returned', reason: '货已退回' },
  }),
  'GET /api/villages/:vid/redemptions': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/redemptions?limit=5`,
  }),
  'GET /api/redemptions/:id': async (t, v) => ({
    method: 'GET',
    path: `/api/redemptions/${await shop.redemption(t, v)}`,
  }),
  'GET /api/redemptions/:id/receipt': async (t, v) => ({
    method: 'GET',
    path: `/api/redemptions/${await shop.redemption(t, v)}/receipt`,
  }),
  'POST /api/redemptions/:id/void': async (t, v) => ({
    method: 'POST',
    path: `/api/redemptions/${await shop.redemption(t, v)}/void`,
    body: { reason: '顾客退货' },
  }),

  'GET /api/villages/:vid/exports/monthly': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/exports/monthly?month=2024-03&format=csv`,
  }),
  'GET /api/villages/:vid/board': (_t, v) => ({ method: 'GET', path: `/api/villages/${v.vid}/board?month=2024-03` }),
  'GET /api/households/:hid/passbook': (_t, v) => ({
    method: 'GET',
    path: `/api/households/${v.hid}/passbook?year=2024`,
  }),
  'GET /api/villages/:vid/passbooks': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/passbooks?year=2024`,
  }),
  'GET /api/rollup': () => ({ method: 'GET', path: '/api/rollup?month=2024-03' }),

  // A forged code: no staff role can sign in a household, and the sample must not open sessions as it goes.
  'POST /api/villager/login': () => ({
    method: 'POST',
    path: '/api/villager/login',
    body: { cardCode: 'not-a-card.code' },
    allowedStatus: 422,
  }),
  'GET /api/me': () => ({ method: 'GET', path: '/api/me' }),
  'POST /api/me/logout': () => ({ method: 'POST', path: '/api/me/logout', body: {}, allowedStatus: 204 }),
  'GET /api/me/ledger': () => ({ method: 'GET', path: '/api/me/ledger?month=2024-03' }),
  'GET /api/me/evidence/:eid': (_t, v) => ({ method: 'GET', path: `/api/me/evidence/${v.evidenceId}` }),
  'GET /api/me/notices': () => ({ method: 'GET', path: '/api/me/notices' }),
  'POST /api/me/notices/:id/objections': (_t, v) => ({
    method: 'POST',
    path: `/api/me/notices/${v.awardId}/objections`,
    body: { text: '那天下雨，没扫' },
  }),
  'GET /api/me/claims': () => ({ method: 'GET', path: '/api/me/claims' }),
  'POST /api/me/claims': () => ({
    method: 'POST',
    path: '/api/me/claims',
    body: { description: '照顾孤寡老人', occurredOn: '2024-03-05', photo: PHOTO },
  }),
  'GET /api/me/products': () => ({ method: 'GET', path: '/api/me/products' }),
  'GET /api/me/rules': () => ({ method: 'GET', path: '/api/me/rules' }),
  // issue 18
  'GET /api/villages/:vid/tags': (_t, v) => ({ method: 'GET', path: `/api/villages/${v.vid}/tags` }),
  'POST /api/villages/:vid/relief': async (t, v) => ({
    method: 'POST',
    path: `/api/villages/${v.vid}/relief`,
    body: { items: [{ productId: await shop.product(t, v, 2), quantity: 1 }], householdIds: [v.hid], note: '春节慰问' },
  }),
  'GET /api/villages/:vid/relief': (_t, v) => ({ method: 'GET', path: `/api/villages/${v.vid}/relief?month=2024-03` }),
  'GET /api/relief/:id': async (t, v) => ({ method: 'GET', path: `/api/relief/${await practice.relief(t, v)}` }),
  'GET /api/relief/:id/sheet': async (t, v) => ({
    method: 'GET',
    path: `/api/relief/${await practice.relief(t, v)}/sheet`,
  }),
  'GET /api/villages/:vid/relief/report': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/relief/report?month=2024-03&format=csv`,
  }),
  'GET /api/villages/:vid/claims': (_t, v) => ({
    method: 'GET',
    path: `/api/villages/${v.vid}/claims?status=submitted`,
  }),
  'GET /api/claims/:id/photo': (_t, v) => ({ method: 'GET', path: `/api/claims/${v.claimId}/photo` }),
  'POST /api/claims/:id/accept': async (t, v) => ({
    method: 'POST',
    path: `/api/claims/${await fresh.claim(t, v)}/accept`,
    body: { ruleId: v.ruleId },
  }),
  'POST /api/claims/:id/decline': async (t, v) => ({
    method: 'POST',
    path: `/api/claims/${await fresh.claim(t, v)}/decline`,
    body: { reply: '请补充照片' },
  }),
}

/** "METHOD /api/path" of every route the app serves (middleware registrations excluded). */
export function servedRoutes(app: { routes: { method: string; path: string }[] }): string[] {
  const keys = new Set<string>()
  for (const r of app.routes) if (r.method !== 'ALL') keys.add(`${r.method} ${r.path}`)
  return [...keys]
}
