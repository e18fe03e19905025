import { migrateToLatest } from '../db/database.js'
import { createApp } from '../server/app.js'
import { AuditLog } from '../server/audit/audit.service.js'
import { bootstrapAdmin } from '../server/auth/auth.service.js'
import { loadSecrets } from '../server/auth/secrets.js'
import { openTestDatabase } from './db.js'

export const ADMIN_PASSWORD = 'test-admin-password'
let counter = 0
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`

export interface Res {
  status: number
  body: any
  text: string
  headers: Headers
}

/**
 * A whole Gongyi on an in-memory database (or `file`; on PostgreSQL, with GONGYI_TEST_PG set, a fresh database
 * of its own: test/db.ts), driven through app.request(): what API tests use.
 * `api.post(path, body, token)` and friends return {status, body, text}.
 */
export async function testContext(file = ':memory:') {
  const opened = await openTestDatabase(file)
  await migrateToLatest(opened.db)
  await bootstrapAdmin(opened.db, ADMIN_PASSWORD)
  const secrets = await loadSecrets(opened.db)
  const audit = new AuditLog(opened.db, 1)
  const app = createApp({ db: opened.db, secrets, audit, version: 'test' })

  async function call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers: Record<string, string> = {},
  ): Promise<Res> {
    const h: Record<string, string> = { ...headers }
    if (token) h.authorization = `Bearer ${token}`
    let payload: BodyInit | undefined
    if (typeof body === 'string' || body instanceof Uint8Array) payload = body as BodyInit
    else if (body !== undefined) {
      payload = JSON.stringify(body)
      h['content-type'] ??= 'application/json'
    }
    const res = await app.request(path, { method, headers: h, body: payload })
    const text = await res.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {}
    return { status: res.status, body: json, text, headers: res.headers }
  }
  const api = {
    get: (p: string, token?: string) => call('GET', p, undefined, token),
    post: (p: string, b?: unknown, token?: string, headers?: Record<string, string>) =>
      call('POST', p, b ?? {}, token, headers),
    patch: (p: string, b: unknown, token?: string) => call('PATCH', p, b, token),
    delete: (p: string, token?: string) => call('DELETE', p, undefined, token),
    call,
  }

  async function login(username: string, password: string): Promise<string> {
    const res = await api.post('/api/auth/login', { username, password })
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`)
    return res.body.token
  }
  const adminToken = await login('admin', ADMIN_PASSWORD)

  /** A village with one user per role; tokens by role name. */
  async function village(fields: Record<string, unknown> = {}) {
    const code = unique('V')
    const v = await api.post('/api/villages', { code, name: `测试村${code}`, ...fields }, adminToken)
    if (v.status !== 201) throw new Error(`village: ${v.status} ${v.text}`)
    const tokens: Record<string, string> = { admin: adminToken }
    const users: Record<string, string> = {}
    for (const role of ['clerk', 'approver', 'approver2', 'cashier', 'auditor']) {
      const username = unique(role)
      const u = await api.post(
        '/api/users',
        { username, password: 'password-' + role, roles: [role.replace(/\d$/, '')], villageId: v.body.id },
        adminToken,
      )
      if (u.status !== 201) throw new Error(`user: ${u.status} ${u.text}`)
      users[role] = u.body.id
      tokens[role] = await login(username, 'password-' + role)
    }
    return { vid: v.body.id as string, code, tokens, users }
  }

  async function household(vid: string, token: string, fields: Record<string, unknown> = {}) {
    const res = await api.post(
      `/api/villages/${vid}/households`,
      { householdNo: unique('H'), headName: '张三', ...fields },
      token,
    )
    if (res.status !== 201) throw new Error(`household: ${res.status} ${res.text}`)
    return res.body
  }

  // Audit records still buffered are written before the database closes (on PostgreSQL: is dropped).
  const close = async () => {
    await audit.flush()
    await opened.close()
  }
  return { ...opened, close, app, api, adminToken, login, village, household, audit, secrets }
}

export type TestContext = Awaited<ReturnType<typeof testContext>>
