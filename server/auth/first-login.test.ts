import { beforeAll, describe, expect, test } from 'vitest'
import { ADMIN_PASSWORD, type TestContext, testContext, unique } from '../../test/context.js'
import { queryRows } from '../../test/db.js'
import { bootstrapAdmin, MAX_ADDRESS_FAILURES } from './auth.service.js'

/*
 * Issue 13: guesses spread over usernames from one address; the generated first admin password; the demo's
 * published passwords once a real village exists.
 */
let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

/** A login as it arrives over the network, from `address` (the socket's address: what the server counts). */
const loginFrom = (address: string, username: string, password: string) =>
  t.app.request(
    '/api/auth/login',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    },
    { incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily: 'IPv4' } } },
  )

describe('the per-address login limit', () => {
  test(`60 guesses over 60 usernames from one address: ${MAX_ADDRESS_FAILURES} checked, then 429; the counter's own address still logs in`, async () => {
    const v = await t.village()
    const cashier = unique('cashier')
    await t.api.post(
      '/api/users',
      { username: cashier, password: 'counter-pw-1', roles: ['cashier'], villageId: v.vid },
      t.adminToken,
    )
    const statuses: number[] = []
    for (let i = 0; i < 60; i++) statuses.push((await loginFrom('192.168.1.66', unique('guess'), `wrong-${i}`)).status)
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_ADDRESS_FAILURES)
    expect(statuses.slice(MAX_ADDRESS_FAILURES).every((s) => s === 429)).toBe(true)
    // Even the right password of a real user is refused from the guessing address …
    expect((await loginFrom('192.168.1.66', cashier, 'counter-pw-1')).status).toBe(429)
    // … but the cashier at the counter (another address) is not locked out.
    expect((await loginFrom('192.168.1.20', cashier, 'counter-pw-1')).status).toBe(200)
  })
})

describe('the generated first admin password', () => {
  test('opens nothing but its own change; after the change, everything; a password set by the operator is not asked to change', async () => {
    await queryRows(t.db, "update users set username = 'admin-old' where username = 'admin'")
    await queryRows(t.db, "update users set roles = 'clerk' where username = 'admin-old'")
    expect(await bootstrapAdmin(t.db, 'generated-pw-123', { generated: true })).toBe(true)
    const first = await t.api.post('/api/auth/login', { username: 'admin', password: 'generated-pw-123' })
    expect(first.status).toBe(200)
    expect(first.body.mustChangePassword).toBe(true)
    for (const [method, path, body] of [
      ['GET', '/api/villages'],
      ['POST', '/api/villages', { code: unique('V'), name: '测试村' }],
      ['GET', '/api/users'],
    ] as const) {
      const res = await t.api.call(method, path, body, first.body.token)
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED')
    }
    expect((await t.api.get('/api/auth/me', first.body.token)).status).toBe(200)
    expect(
      (
        await t.api.post(
          '/api/auth/password',
          { currentPassword: 'generated-pw-123', newPassword: 'chosen-pw-456' },
          first.body.token,
        )
      ).status,
    ).toBe(200)
    const after = await t.login('admin', 'chosen-pw-456')
    expect((await t.api.get('/api/villages', after)).status).toBe(200)
    // The admin of testContext was bootstrapped with a given password (GONGYI_ADMIN_PASSWORD): never asked.
    const given = await t.api.post('/api/auth/login', { username: 'admin-old', password: ADMIN_PASSWORD })
    expect(given.body.mustChangePassword).toBeUndefined()
    await queryRows(t.db, "update users set roles = 'admin' where username = 'admin-old'")
  })
})

describe("the demo's published passwords", () => {
  test('stop working once a real village is created: demo staff disabled, the demo admin must choose a new password', async () => {
    const demo = await t.village()
    const staff = await t.api.post(
      '/api/users',
      { username: unique('demo-clerk'), password: 'gongyi-demo', roles: ['clerk'], villageId: demo.vid },
      t.adminToken,
    )
    const staffToken = await t.login(staff.body.username, 'gongyi-demo')
    const demoAdmin = await t.api.post(
      '/api/users',
      { username: unique('demo-admin'), password: 'gongyi-admin', roles: ['admin'] },
      t.adminToken,
    )
    await t.db
      .insertInto('settings')
      .values([
        { key: 'demo_villages', value: JSON.stringify([demo.vid]) },
        { key: 'demo_users', value: JSON.stringify([staff.body.id]) },
        { key: 'demo_admin', value: demoAdmin.body.id },
      ])
      .execute()
    expect((await t.api.post('/api/villages', { code: unique('REAL'), name: '真村' }, t.adminToken)).status).toBe(201)
    expect((await t.api.get('/api/auth/me', staffToken)).status).toBe(401)
    expect(
      (await t.api.post('/api/auth/login', { username: staff.body.username, password: 'gongyi-demo' })).status,
    ).toBe(401)
    const admin = await t.api.post('/api/auth/login', { username: demoAdmin.body.username, password: 'gongyi-admin' })
    expect(admin.body.mustChangePassword).toBe(true)
    expect((await t.api.get('/api/villages', admin.body.token)).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED')
  })
})
