import { existsSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { checkDatabaseFile } from '../../server/ops/check-database.js'
import { ADMIN_PASSWORD, client, scratchDir, startServer } from './server.js'
import { seedVillage } from './seed.js'
import { createPgDatabase, onPostgres } from '../db.js'

/*
 * Graceful shutdown of the real server: on SIGTERM or SIGINT it stops accepting, lets the requests in flight
 * finish, writes the audit records still buffered, and closes the database (SQLite folds the WAL back into the
 * file on a clean close, so no -wal file is left).
 */

const dir = scratchDir('shutdown')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A health check on a new connection (no keep-alive reuse): its status, or the socket error's code. */
function freshHealthCheck(base: string): Promise<number | string> {
  return new Promise((ok) => {
    const req = request(`${base}/api/health`, { agent: false }, (res) => {
      res.resume()
      ok(res.statusCode ?? 0)
    })
    req.on('error', (err: NodeJS.ErrnoException) => ok(err.code ?? String(err)))
    req.end()
  })
}

/**
 * A POST whose body arrives in two parts, as over a slow village line: `send()` delivers the second part.
 * Resolves with the status and body once the server answers.
 */
function slowPost(base: string, path: string, token: string, body: unknown) {
  const bytes = Buffer.from(JSON.stringify(body))
  let answer!: Promise<{ status: number; body: any }>
  const req = request(`${base}${path}`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': bytes.length, authorization: `Bearer ${token}` },
  })
  answer = new Promise((ok, fail) => {
    req.on('response', (res) => {
      let text = ''
      res.on('data', (d) => {
        text += d
      })
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
    req.on('error', fail)
  })
  req.write(bytes.subarray(0, 10))
  return { answer, send: () => req.end(bytes.subarray(10)) }
}

// SQLite only for now: on PostgreSQL a new connection during the shutdown was seen reset (ECONNRESET) instead of
// refused, and the request in flight hung up; not yet explained (SCALING.md, "not done").
describe.each(['SIGTERM', 'SIGINT'] as const)('%s', (signal) => {
  test('a request in flight completes, new connections are refused, the audit record is written, the database closes cleanly', async () => {
    // With GONGYI_TEST_PG: a fresh PostgreSQL database; the file checks below are SQLite's.
    const pgDb = onPostgres ? await createPgDatabase('gongyi_shutdown') : null
    const db = pgDb?.url ?? join(dir, signal, 'gongyi.db')
    const server = await startServer(db)
    const api = client(server.base)
    const v = await seedVillage(api, { households: 10, points: 0 })

    const slow = slowPost(server.base, `/api/villages/${v.vid}/households`, v.tokens.clerk, {
      householdNo: 'LATE-1',
      headName: '晚到的户',
    })
    await new Promise((r) => setTimeout(r, 100))
    server.kill(signal)
    while (!server.log().includes('shutting down')) await new Promise((r) => setTimeout(r, 10))
    expect(await freshHealthCheck(server.base)).toBe('ECONNREFUSED')
    slow.send()

    const res = await slow.answer
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ householdNo: 'LATE-1', balance: 0 })
    expect(await server.exited).toBe(0)
    if (!pgDb) {
      expect(existsSync(`${db}-wal`)).toBe(false)
      expect((await checkDatabaseFile(db)).ok).toBe(true)
    }

    const again = await startServer(db)
    try {
      const c = client(again.base)
      const admin = await c.login('admin', ADMIN_PASSWORD)
      const list = await c.get(`/api/villages/${v.vid}/households?q=LATE-1`, admin)
      expect(list.body.items.map((h: any) => h.id)).toEqual([res.body.id])
      const audit = await c.get(`/api/villages/${v.vid}/audit?limit=5`, admin)
      // Since issue 13 the audit row is written inside the change's transaction, before the answer's status is
      // known (it records 200 there): what matters here is that the change's record is there and ok.
      expect(audit.body.items.map((a: any) => `${a.action} ${a.outcome}`)).toContain(
        'POST /api/villages/:vid/households ok',
      )
    } finally {
      again.kill('SIGTERM')
      await again.exited
      await pgDb?.drop()
    }
  })
})
