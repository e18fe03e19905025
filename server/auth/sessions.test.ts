import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext, unique } from '../../test/context.js'
import { purgeLoginFailures } from './auth.service.js'
import { queryOne, queryRows } from '../../test/db.js'

const count = async (text: string, ...params: unknown[]) =>
  Number((await queryOne<{ n: unknown }>(t.db, text, ...params))!.n)

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

async function staff(password = 'right-password-1') {
  const v = await t.village()
  const username = unique('u')
  const u = await t.api.post('/api/users', { username, password, roles: ['clerk'], villageId: v.vid }, t.adminToken)
  expect(u.status).toBe(201)
  return { username, password, vid: v.vid }
}

describe('sessions and passwords', () => {
  test('logout answers 204 and that token is refused afterwards; another session of the same user is not', async () => {
    const s = await staff()
    const one = await t.login(s.username, s.password)
    const two = await t.login(s.username, s.password)
    expect((await t.api.get('/api/auth/me', one)).status).toBe(200)
    const out = await t.api.post('/api/auth/logout', undefined, one)
    expect(out.status).toBe(204)
    const after = await t.api.get('/api/auth/me', one)
    expect(after.status).toBe(401)
    expect(after.body.error.code).toBe('UNAUTHENTICATED')
    expect((await t.api.get('/api/auth/me', two)).status).toBe(200)
    // The refusal is in the database, not only this process's memory.
    expect(await count('select count(*) n from revoked_tokens')).toBe(1)
  })

  test('200 wrong passwords for one username at once: at most 5 are checked, the rest 429, and the right one at #16 is refused too', async () => {
    const s = await staff()
    const guesses = Array.from({ length: 200 }, (_, i) => (i === 15 ? s.password : `wrong-${i}-guess`))
    const answers = await Promise.all(
      guesses.map((password) => t.api.post('/api/auth/login', { username: s.username, password })),
    )
    const counts: Record<number, number> = {}
    for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1
    const checked = answers.filter((a) => a.status !== 429).length
    console.log(`concurrent login guesses: ${JSON.stringify(counts)}`)
    expect(checked).toBeLessThanOrEqual(5)
    expect(answers[15]!.status).toBe(429)
    expect(counts[429]).toBeGreaterThanOrEqual(195)
  })

  test('a wrong current password in POST /auth/password counts as a failed login: 429 after 5', async () => {
    const s = await staff()
    const token = await t.login(s.username, s.password)
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) {
      statuses.push(
        (
          await t.api.post(
            '/api/auth/password',
            { currentPassword: `guess-${i}-xx`, newPassword: 'new-password-9' },
            token,
          )
        ).status,
      )
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(statuses.slice(5)).toEqual([429, 429, 429])
    // And the login form is locked for that user as well.
    expect((await t.api.post('/api/auth/login', { username: s.username, password: s.password })).status).toBe(429)
  })

  test('old login failures and expired revocations are purged', async () => {
    await queryRows(t.db, "insert into login_failures (username, at) values ('old-user', '2020-01-01T00:00:00.000Z')")
    await queryRows(
      t.db,
      "insert into revoked_tokens (jti, user_id, expires_at) values ('old-jti', 'x', '2020-01-01T00:00:00.000Z')",
    )
    await purgeLoginFailures(t.db)
    expect(await count("select count(*) n from login_failures where username = 'old-user'")).toBe(0)
    expect(await count("select count(*) n from revoked_tokens where jti = 'old-jti'")).toBe(0)
  })
})
