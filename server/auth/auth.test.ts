import { beforeAll, describe, expect, test } from 'vitest'
import { ADMIN_PASSWORD, type TestContext, testContext, unique } from '../../test/context.js'
import { queryOne } from '../../test/db.js'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

describe('login and tokens', () => {
  test('login answers a token and the user without the password hash', async () => {
    const res = await t.api.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })
    expect(res.status).toBe(200)
    expect(res.body.user).toMatchObject({ username: 'admin', roles: ['admin'], villageId: null })
    expect(res.text).not.toMatch(/scrypt|password_hash/)
  })

  test('passwords are stored as scrypt hashes', async () => {
    const row = (await queryOne<{ password_hash: string }>(
      t.db,
      "select password_hash from users where username = 'admin'",
    ))!
    expect(row.password_hash).toMatch(/^scrypt\$16384\$/)
    expect(row.password_hash).not.toContain(ADMIN_PASSWORD)
  })

  test('no token, a malformed token and a forged token are 401 UNAUTHENTICATED', async () => {
    for (const token of [undefined, 'x.y.z', t.adminToken.slice(0, -2) + 'AA']) {
      const res = await t.api.get('/api/villages', token)
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('UNAUTHENTICATED')
    }
  })

  test('five failures lock the username for 15 minutes, even for the right password', async () => {
    const v = await t.village()
    const username = unique('locked')
    await t.api.post(
      '/api/users',
      { username, password: 'right-password', roles: ['clerk'], villageId: v.vid },
      t.adminToken,
    )
    for (let i = 0; i < 5; i++) {
      expect((await t.api.post('/api/auth/login', { username, password: 'wrong-password' })).status).toBe(401)
    }
    const locked = await t.api.post('/api/auth/login', { username, password: 'right-password' })
    expect(locked.status).toBe(429)
    expect(locked.body.error.code).toBe('TOO_MANY_ATTEMPTS')
    // Another username is not affected.
    expect((await t.api.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(200)
  })

  test('a password change or disabling a user ends their sessions', async () => {
    const v = await t.village()
    const username = unique('pw')
    const created = await t.api.post(
      '/api/users',
      { username, password: 'first-password', roles: ['clerk'], villageId: v.vid },
      t.adminToken,
    )
    const token = await t.login(username, 'first-password')
    const wrong = await t.api.post(
      '/api/auth/password',
      { currentPassword: 'nope-nope', newPassword: 'second-password' },
      token,
    )
    expect(wrong.status).toBe(401)
    const short = await t.api.post(
      '/api/auth/password',
      { currentPassword: 'first-password', newPassword: 'short' },
      token,
    )
    expect(short.status).toBe(400)
    const ok = await t.api.post(
      '/api/auth/password',
      { currentPassword: 'first-password', newPassword: 'second-password' },
      token,
    )
    expect(ok.status).toBe(200)
    expect((await t.api.get('/api/auth/me', token)).status).toBe(401)
    const token2 = await t.login(username, 'second-password')
    expect((await t.api.get('/api/auth/me', token2)).status).toBe(200)
    await t.api.patch(`/api/users/${created.body.id}`, { active: false }, t.adminToken)
    expect((await t.api.get('/api/auth/me', token2)).status).toBe(401)
    expect((await t.api.post('/api/auth/login', { username, password: 'second-password' })).status).toBe(401)
  })
})

describe('villages and staff', () => {
  test('only admins create villages and users; a duplicate code is 409', async () => {
    const v = await t.village()
    expect((await t.api.post('/api/villages', { code: unique('V'), name: 'x' }, v.tokens.clerk)).status).toBe(403)
    expect(
      (
        await t.api.post(
          '/api/users',
          { username: unique('u'), password: 'long-enough', roles: ['clerk'], villageId: v.vid },
          v.tokens.clerk,
        )
      ).status,
    ).toBe(403)
    expect((await t.api.post('/api/villages', { code: v.code, name: 'x' }, t.adminToken)).status).toBe(409)
  })

  test('village staff need a village; passwords need 8 characters; usernames are unique', async () => {
    expect(
      (
        await t.api.post(
          '/api/users',
          { username: unique('u'), password: 'long-enough', roles: ['clerk'] },
          t.adminToken,
        )
      ).status,
    ).toBe(400)
    const v = await t.village()
    expect(
      (
        await t.api.post(
          '/api/users',
          { username: unique('u'), password: 'short', roles: ['clerk'], villageId: v.vid },
          t.adminToken,
        )
      ).status,
    ).toBe(400)
    const name = unique('u')
    expect(
      (
        await t.api.post(
          '/api/users',
          { username: name, password: 'long-enough', roles: ['clerk'], villageId: v.vid },
          t.adminToken,
        )
      ).status,
    ).toBe(201)
    expect(
      (
        await t.api.post(
          '/api/users',
          { username: name, password: 'long-enough', roles: ['clerk'], villageId: v.vid },
          t.adminToken,
        )
      ).status,
    ).toBe(409)
  })

  test('staff see only their own village in the list and get 403 on another village', async () => {
    const a = await t.village()
    const b = await t.village()
    const list = await t.api.get('/api/villages', a.tokens.auditor)
    expect(list.body.items.map((v: any) => v.id)).toEqual([a.vid])
    expect((await t.api.get(`/api/villages/${b.vid}`, a.tokens.auditor)).status).toBe(403)
    expect((await t.api.get(`/api/villages/${b.vid}/households`, a.tokens.clerk)).status).toBe(403)
  })

  test('time zone and village settings are validated', async () => {
    expect(
      (await t.api.post('/api/villages', { code: unique('V'), name: 'x', timezone: 'Mars/Olympus' }, t.adminToken))
        .status,
    ).toBe(400)
    expect(
      (await t.api.post('/api/villages', { code: unique('V'), name: 'x', noticeDays: -1 }, t.adminToken)).status,
    ).toBe(400)
    const ok = await t.api.post(
      '/api/villages',
      { code: unique('V'), name: 'x', timezone: 'Asia/Urumqi', noticeDays: 3 },
      t.adminToken,
    )
    expect(ok.body).toMatchObject({ timezone: 'Asia/Urumqi', noticeDays: 3, requiredApprovals: 1 })
  })
})

describe('errors and the audit log', () => {
  test('unknown paths are JSON 404; an oversized body is 413; nothing leaks a stack trace', async () => {
    const missing = await t.api.get('/api/nothing-here', t.adminToken)
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('NOT_FOUND')
    const v = await t.village()
    const huge = await t.api.call(
      'POST',
      `/api/villages/${v.vid}/households`,
      JSON.stringify({ householdNo: 'x', headName: 'y'.repeat(9 * 1024 * 1024) }),
      v.tokens.clerk,
      { 'content-type': 'application/json' },
    )
    expect(huge.status).toBe(413)
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE')
    expect(huge.text).not.toMatch(/at .*\.ts/)
  })

  test('state-changing requests are audited with who, what and the outcome; auditors read them', async () => {
    const v = await t.village()
    await t.household(v.vid, v.tokens.clerk!, { householdNo: 'AUD-1' })
    await t.api.post(`/api/villages/${v.vid}/households`, { householdNo: 'AUD-1', headName: '重复' }, v.tokens.clerk)
    const log = await t.api.get(`/api/villages/${v.vid}/audit`, v.tokens.auditor)
    expect(log.status).toBe(200)
    const creates = log.body.items.filter((r: any) => r.action === 'POST /api/villages/:vid/households')
    expect(creates.map((r: any) => r.outcome).sort()).toEqual(['DUPLICATE', 'ok'])
    expect(creates[0].username).toMatch(/^clerk/)
    expect((await t.api.get(`/api/villages/${v.vid}/audit`, v.tokens.cashier)).status).toBe(403)
  })
})
