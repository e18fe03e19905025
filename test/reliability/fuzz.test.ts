import fc from 'fast-check'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadSecrets } from '../../server/auth/secrets.js'
import { ACCESS_MATRIX } from '../../server/http/access-matrix.js'
import { type TestContext, testContext } from '../context.js'
import { databaseChecksum } from './checksum.js'
import { type FixtureVillage, SAMPLES, type SampleCall, fixtureVillage, servedRoutes, tokenFor } from './samples.js'
import { onPostgres } from '../db.js'

/*
 * Every endpoint gets random and malformed bodies, query strings, headers and ids. Whatever comes in:
 * never a 5xx, never a stack trace or a source path in the answer, an error is JSON {error: {code, message}},
 * and a refusal (4xx) changes nothing in the database (checksum of every table before and after, but the
 * audit log and the lockout counters).
 *
 * GONGYI_FUZZ_RUNS sets the number of random cases (default 2500); GONGYI_FUZZ_SEED replays a run.
 */

// On PostgreSQL each case's checksums and requests are round trips to another process: 500 cases by default.
const RUNS = Number(process.env.GONGYI_FUZZ_RUNS ?? (onPostgres ? 500 : 2500))
const SEED = process.env.GONGYI_FUZZ_SEED ? Number(process.env.GONGYI_FUZZ_SEED) : undefined

let t: TestContext
let A: FixtureVillage
let B: FixtureVillage
let routes: string[]
const base = new Map<string, SampleCall>()
const tokens: Record<string, string | undefined> = {}
let badTokens: string[]

beforeAll(async () => {
  t = await testContext()
  A = await fixtureVillage(t)
  B = await fixtureVillage(t)
  routes = servedRoutes(t.app)
  // One well-formed request per endpoint, made once: the cases below break it in every way.
  for (const route of routes) base.set(route, SAMPLES[route] ? await SAMPLES[route]!(t, A) : fromTemplate(route))
  Object.assign(tokens, {
    admin: t.adminToken,
    clerk: A.tokens.clerk,
    approver: A.tokens.approver,
    cashier: A.tokens.cashier,
    auditor: A.tokens.auditor,
    none: undefined,
  })
  badTokens = await forgedTokens()
}, 120_000)

/** A request for a route nobody wrote a sample for yet: the template with village A's ids. */
function fromTemplate(route: string): SampleCall {
  const [method, path] = route.split(' ') as [string, string]
  const ids: Record<string, string> = {
    vid: A.vid,
    hid: A.hid,
    cardId: A.cardId,
    entryId: A.entryId,
    mid: A.memberId,
    eid: A.evidenceId,
  }
  return {
    method,
    path: path.replace(/:(\w+)/g, (_m, p: string) => ids[p] ?? A.awardId),
    body: method === 'GET' ? undefined : {},
  }
}

/** Tokens that must get 401: garbage, unsigned (alg none), signed with another key, expired, for a user who does not exist. */
async function forgedTokens(): Promise<string[]> {
  const { tokenKey } = await loadSecrets(t.db)
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const admin = await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
  const sign = (claims: Record<string, unknown>, key: Uint8Array, exp: string | number = '1h') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(admin.id)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(key)
  return [
    'garbage',
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: admin.id, tv: 0, exp: 9_999_999_999 })}.`,
    await sign({ tv: 0 }, new Uint8Array(32).fill(7)),
    await sign({ tv: 0 }, tokenKey, Math.floor(Date.now() / 1000) - 60),
    await new SignJWT({ tv: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('no-such-user')
      .setExpirationTime('1h')
      .sign(tokenKey),
    await sign({ tv: 'x' }, tokenKey),
    `${t.adminToken}x`,
    t.adminToken.split('.').slice(0, 2).join('.'),
  ]
}

// ---- what is sent

const SQL = [
  "' OR '1'='1",
  '1; DROP TABLE ledger_entries; --',
  '" OR 1=1 --',
  "%' --",
  '1 UNION SELECT password_hash FROM users',
  "'); DELETE FROM accounts; --",
  "admin'--",
  "1' AND sleep(5)--",
  'NULL',
  '*',
]
const ODD_TEXT = [
  '',
  ' ',
  '\u0000',
  '\uFEFF',
  '\u202E逆序文字',
  'e\u0301',
  '𠮷野家',
  '\uD800',
  '\uDFFF',
  'Ａ全角ＡＢＣ',
  '\u200B',
  '🙂'.repeat(200),
  'İıß',
  '\r\n',
  '\t',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'toString',
  '张三'.repeat(2000),
  'null',
  'undefined',
  'true',
  '-0',
  'NaN',
  'Infinity',
  '1e309',
  '0x10',
  '00001',
  '2024-02-30',
  '9999-99-99',
  '2024-13',
]
const NUMBERS = [
  -1,
  0,
  -0,
  0.5,
  1.0000001,
  -(2 ** 31),
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e21,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1_000_001,
  100_000,
  10_000_001,
]

/**
 * A deeply nested value: short in fast-check's reports, its JSON text built without recursion (see serialize)
 * because JSON.stringify itself overflows the stack a few thousand levels down.
 */
class Deep {
  constructor(
    readonly depth: number,
    readonly kind: 'array' | 'object',
  ) {}
  text() {
    return this.kind === 'array'
      ? '['.repeat(this.depth) + '1' + ']'.repeat(this.depth)
      : '{"a":'.repeat(this.depth) + '1' + '}'.repeat(this.depth)
  }
  [fc.toStringMethod]() {
    return `deep(${this.depth}, ${this.kind})`
  }
}

/** JSON.stringify, with every Deep spliced in as its text. */
function serialize(value: unknown): string {
  const deepTexts: string[] = []
  const text =
    JSON.stringify(value, (_k, v) => (v instanceof Deep ? `@@deep${deepTexts.push(v.text()) - 1}@@` : v)) ?? 'null'
  return deepTexts.length ? text.replace(/"@@deep(\d+)@@"/g, (_m, i: string) => deepTexts[Number(i)]!) : text
}

const weird: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...SQL),
  fc.constantFrom(...ODD_TEXT),
  fc.constantFrom(...NUMBERS),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 200, maxLength: 3000 }),
  fc.constantFrom(null, true, false, [], {}, [null], { $gt: '' }),
  fc.jsonValue({ maxDepth: 3 }),
  fc
    .tuple(fc.integer({ min: 50, max: 5000 }), fc.constantFrom('array' as const, 'object' as const))
    .map(([d, k]) => new Deep(d, k)),
  fc.array(fc.constantFrom(...SQL, ...ODD_TEXT), { maxLength: 5 }),
)

/** Any id: strange text, or a real id of the other village (which staff of village A must not reach). */
const weirdId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL, ...ODD_TEXT.filter((s) => s !== '')),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.uuid(),
  fc.constantFrom('x'.repeat(5000), '..', '.', '%', '%ZZ', '%E4%B8', '%2F', 'a/b', '0', '-1'),
  // B is made in beforeAll, after this arbitrary: read its ids when a value is drawn (by index, so a seed replays).
  fc.nat(7).map((i) => [B.vid, B.hid, B.cardId, B.ruleId, B.awardId, B.entryId, B.memberId, B.evidenceId][i]!),
)

/** Header values must be Latin-1 without CR, LF or NUL, or fetch refuses to send them at all. */
const headerText = (s: string) => s.replace(/[^\x20-\x7e\xa0-\xff\t]/g, '')

const QUERY_KEYS = [
  'limit',
  'cursor',
  'q',
  'month',
  'status',
  'format',
  'householdIds',
  'active',
  'barcode',
  'productId',
  'kind',
  'year',
  'villageId',
  'householdId',
]

type Mutation =
  | { kind: 'body'; value: unknown }
  | { kind: 'field'; pick: number; value: unknown }
  | { kind: 'drop'; pick: number }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'raw'; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'query'; key: string; value: string; raw: boolean }
  | { kind: 'header'; name: string; value: string }
  | { kind: 'token'; pick: number }
  | { kind: 'id'; pick: number; value: string; raw: boolean }
  | { kind: 'method'; method: string }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('body' as const), value: weird }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('field' as const), pick: fc.nat(), value: weird }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('extra' as const),
      key: fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'id', 'villageId', 'balance', 'status', 'roles'),
        fc.string(),
      ),
      value: weird,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      text: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom(
          '{',
          '[',
          '{"a":',
          'null',
          '""',
          '\uFEFF{}',
          '{"a":1,"a":2}',
          '{"__proto__":{"admin":true}}',
          'true',
          '1e999',
          '[1,]',
          "{'a':1}",
        ),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('query' as const),
      key: fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 10 })),
      value: fc.oneof(
        fc.constantFrom(...SQL, ...ODD_TEXT).map(String),
        fc.constantFrom(...NUMBERS).map(String),
        fc.string({ unit: 'binary', maxLength: 30 }),
      ),
      raw: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('header' as const),
      name: fc.constantFrom(
        'content-type',
        'idempotency-key',
        'accept',
        'content-encoding',
        'origin',
        'x-forwarded-for',
        'cookie',
        'accept-language',
        'if-none-match',
      ),
      value: fc
        .oneof(
          fc.constantFrom(
            'text/plain',
            'application/xml',
            'multipart/form-data; boundary=x',
            'application/x-www-form-urlencoded',
            'application/json; charset=gbk',
            'text/csv',
            'image/png',
            'gzip',
            '',
            ' ',
          ),
          fc.string({ unit: 'binary-ascii', maxLength: 200 }),
        )
        .map(headerText),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('token' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('id' as const), pick: fc.nat(), value: weirdId, raw: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('method' as const),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
    }),
  },
)

/** encodeURIComponent, but a lone surrogate (which it refuses) goes as the bytes a broken client would send. */
function encode(s: string, raw: boolean): string {
  if (raw)
    return (
      s
        .replace(/[\s#?/]/g, '')
        .replace(/[^\x21-\x7e]/g, (ch) => Buffer.from(ch).toString('hex').replace(/(..)/g, '%$1')) || '%20'
    )
  return s.replace(/[\uD800-\uDFFF]/g, '\uFFFD') === s
    ? encodeURIComponent(s)
    : encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '')) + '%ED%A0%80'
}

interface Request {
  method: string
  path: string
  query: string[]
  headers: Record<string, string>
  body: unknown
  raw?: string
}

function setField(body: Record<string, unknown>, pick: number, value: unknown) {
  const keys = Object.keys(body)
  if (keys.length === 0) return { x: value }
  const key = keys[pick % keys.length]!
  const current = body[key]
  // Reach into lists of lines (items, counts, householdIds) as well as top-level fields.
  if (
    Array.isArray(current) &&
    current.length &&
    typeof current[0] === 'object' &&
    current[0] !== null &&
    pick % 2 === 1
  ) {
    const line = { ...(current[0] as Record<string, unknown>) }
    const lineKeys = Object.keys(line)
    line[lineKeys[Math.floor(pick / 2) % lineKeys.length]!] = value
    return { ...body, [key]: [line, ...current.slice(1)] }
  }
  return { ...body, [key]: value }
}

function apply(req: Request, m: Mutation): Request {
  const objectBody =
    req.body && typeof req.body === 'object' && !Array.isArray(req.body) && !(req.body instanceof Uint8Array)
  switch (m.kind) {
    case 'body':
      return { ...req, body: m.value, raw: undefined }
    case 'field':
      return objectBody
        ? { ...req, body: setField(req.body as Record<string, unknown>, m.pick, m.value) }
        : { ...req, body: m.value }
    case 'drop': {
      if (!objectBody) return req
      const keys = Object.keys(req.body as object)
      const { [keys[m.pick % Math.max(1, keys.length)]!]: _gone, ...rest } = req.body as Record<string, unknown>
      return { ...req, body: rest }
    }
    case 'extra':
      return objectBody ? { ...req, body: { ...(req.body as object), [m.key]: m.value } } : req
    case 'raw':
      return { ...req, raw: m.text }
    case 'truncate': {
      const text = typeof req.body === 'string' ? req.body : serialize(req.body ?? {})
      return { ...req, raw: text.slice(0, Math.floor(text.length * m.at)) }
    }
    case 'query':
      return { ...req, query: [...req.query, `${encode(m.key, m.raw)}=${encode(m.value, m.raw)}`] }
    case 'header':
      return { ...req, headers: { ...req.headers, [m.name]: m.value } }
    case 'token':
      return { ...req, headers: { ...req.headers, authorization: `Bearer ${badTokens[m.pick % badTokens.length]}` } }
    case 'id': {
      const segments = req.path.split('/')
      const idAt = segments.map((s, i) => (/^[0-9A-Za-z_-]{10,}$/.test(s) ? i : -1)).filter((i) => i >= 0)
      if (idAt.length === 0) return req
      segments[idAt[m.pick % idAt.length]!] = encode(m.value, m.raw)
      return { ...req, path: segments.join('/') }
    }
    case 'method':
      return { ...req, method: m.method }
  }
}

/** A sample as a request with the caller's token (a fresh one of the same user for a call that ends its session). */
async function toRequest(call: SampleCall, given: string | undefined): Promise<Request> {
  const token = await tokenFor(t, call, given)
  const [path, query] = call.path.split('?') as [string, string | undefined]
  const headers: Record<string, string> = { ...(call.headers ?? {}) }
  if (token) headers.authorization = `Bearer ${token}`
  return { method: call.method, path, query: query ? query.split('&') : [], headers, body: call.body }
}

async function send(req: Request) {
  const headers = { ...req.headers }
  let body: string | Uint8Array | undefined
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (req.raw !== undefined) body = req.raw
    else if (typeof req.body === 'string' || req.body instanceof Uint8Array) body = req.body
    else if (req.body !== undefined) body = serialize(req.body)
    if (body !== undefined && !('content-type' in headers)) headers['content-type'] = 'application/json'
  }
  const url = `${req.path}${req.query.length ? `?${req.query.join('&')}` : ''}`
  const res = await t.app.request(url, { method: req.method, headers, body: body as BodyInit | undefined })
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' }
}

// ---- what must hold

const STACK = /\n\s+at |\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+:\d+|node_modules|\/work\/|file:\/\//

/** How often each status was answered, for RELIABILITY.md: the cases must reach past validation too. */
const statuses = new Map<number, number>()

/** One request, checked: the problems found, empty when it held. */
async function check(req: Request): Promise<string[]> {
  const before = await databaseChecksum(t.db)
  const res = await send(req)
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
  const problems: string[] = []
  if (res.status >= 500) problems.push(`status ${res.status}: ${res.text.slice(0, 300)}`)
  if (STACK.test(res.text)) problems.push(`stack trace or source path in the answer: ${res.text.slice(0, 300)}`)
  if (res.status >= 400 && req.method !== 'HEAD') {
    let code: unknown
    try {
      code = JSON.parse(res.text).error.code
    } catch {}
    if (!res.type.startsWith('application/json') || typeof code !== 'string')
      problems.push(`error is not JSON {error: {code}}: ${res.type} ${res.text.slice(0, 200)}`)
  }
  if (res.status >= 400 && res.status < 500 && (await databaseChecksum(t.db)) !== before)
    problems.push(`a ${res.status} changed the database`)
  return problems.map((p) => `${req.method} ${req.path} → ${p}`)
}

describe('fuzzing every endpoint', () => {
  test(
    `${RUNS} random cases: random and malformed bodies, query strings, headers, tokens and ids`,
    async () => {
      const seen = new Map<string, number>()
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...routes),
          fc.constantFrom('admin', 'admin', 'clerk', 'approver', 'cashier', 'auditor', 'none'),
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          async (route, who, mutations) => {
            seen.set(route, (seen.get(route) ?? 0) + 1)
            const req = mutations.reduce(apply, await toRequest(base.get(route)!, tokens[who]))
            const problems = await check(req)
            if (problems.length)
              throw new Error(
                `${route} as ${who} with ${fc.stringify(mutations).slice(0, 500)}:\n${problems.join('\n')}`,
              )
          },
        ),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      )
      // With a few thousand cases every endpoint is drawn dozens of times.
      if (RUNS >= routes.length * 20) expect([...seen.keys()].sort()).toEqual([...routes].sort())
      const summary = [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')
      console.log(`fuzz: ${RUNS} random cases over ${routes.length} endpoints; answers ${summary}`)
      // Some cases must get through validation and succeed, or the fuzzer only ever tested the validators.
      expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true)
    },
    Math.max(60_000, RUNS * (onPostgres ? 400 : 100)),
  )

  test('a body over 8 MB: 413 PAYLOAD_TOO_LARGE on every endpoint that takes one, nothing changes', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(8 * 1024 * 1024) })
    const problems: string[] = []
    for (const route of routes) {
      const req = await toRequest(base.get(route)!, t.adminToken)
      if (req.method === 'GET') continue
      problems.push(...(await check({ ...req, raw: big })))
      const res = await send({ ...req, raw: big })
      if (res.status !== 413 || JSON.parse(res.text).error.code !== 'PAYLOAD_TOO_LARGE')
        problems.push(`${route}: ${res.status} ${res.text.slice(0, 100)}`)
    }
    expect(problems).toEqual([])
  }, 180_000)

  test('JSON nested 100,000 deep, as arrays and as objects, on every endpoint', async () => {
    const problems: string[] = []
    const depth = 100_000
    for (const raw of ['['.repeat(depth) + ']'.repeat(depth), '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)]) {
      for (const route of routes) {
        const req = await toRequest(base.get(route)!, t.adminToken)
        if (req.method !== 'GET') problems.push(...(await check({ ...req, raw })))
      }
    }
    expect(problems).toEqual([])
  }, 180_000)

  test('every endpoint with the wrong content type, and with none', async () => {
    const problems: string[] = []
    for (const type of [
      'text/plain',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
      null,
    ]) {
      for (const route of routes) {
        const req = await toRequest(base.get(route)!, t.adminToken)
        if (req.method === 'GET') continue
        const headers = { ...req.headers }
        delete headers['content-type']
        if (type) headers['content-type'] = type
        problems.push(
          ...(await check({
            ...req,
            headers,
            raw: typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? {}),
          })),
        )
      }
    }
    expect(problems).toEqual([])
  }, 180_000)

  test("every id in every path replaced by strange text or another village's id: 4xx, nothing changes", async () => {
    const ids = [
      SQL[0]!,
      SQL[1]!,
      '\u0000',
      '\uD800',
      '../../etc/passwd',
      '%ZZ',
      '𠮷野家',
      'x'.repeat(5000),
      B.vid,
      B.hid,
      B.cardId,
      B.awardId,
      B.entryId,
    ]
    const problems: string[] = []
    for (const route of routes) {
      const call = base.get(route)!
      const positions = call.path
        .split('?')[0]!
        .split('/')
        .map((s, i) => (/^[0-9A-Za-z_-]{10,}$/.test(s) ? i : -1))
        .filter((i) => i >= 0)
      for (const pick of positions.keys()) {
        for (const id of ids) {
          const req = apply(await toRequest(call, A.tokens.clerk), { kind: 'id', pick, value: id, raw: false })
          const res = await check(req)
          problems.push(...res)
        }
      }
    }
    expect(problems).toEqual([])
  }, 180_000) // a sweep over every endpoint's ids: it grows with the API (the villager's side added 15 routes)

  test('forged, expired and broken tokens: 401 on every endpoint that needs a login, nothing changes', async () => {
    const problems: string[] = []
    for (const route of routes) {
      if (ACCESS_MATRIX[route]?.who === 'public') continue // health and the logins need no token
      for (const token of badTokens) {
        const req = await toRequest(base.get(route)!, token)
        const before = await databaseChecksum(t.db)
        const res = await send(req)
        if (res.status !== 401) problems.push(`${route} with a forged token: ${res.status}`)
        if ((await databaseChecksum(t.db)) !== before)
          problems.push(`${route} with a forged token changed the database`)
      }
    }
    expect(problems).toEqual([])
  }, 180_000)

  // After every case, in whatever order the tests ran (vitest --sequence.shuffle): the fixtures still verify.
  afterAll(async () => {
    console.log(
      `fuzz: ${[...statuses.values()].reduce((a, b) => a + b, 0)} requests checked in all (random cases and sweeps)`,
    )
    for (const v of [A, B]) {
      const res = await t.api.get(`/api/villages/${v.vid}/ledger/verify`, t.adminToken)
      expect(res.body.ok).toBe(true)
    }
  }, 60_000)
})
