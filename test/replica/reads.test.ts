import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { client, type RunningServer, startServer } from '../reliability/server.js'
import { type SeededVillage, seedVillage } from '../reliability/seed.js'
import { REPLICA_TESTS, replicaPair } from './pair.js'

/*
 * Issue 20, `npm run test:replica`: the reads that can wait go to the hot standby (GONGYI_DB_REPLICA) and say so;
 * when the standby falls behind the limit or is down, the primary serves them and says why; the counter's reads
 * and every write stay on the primary.
 */
const MAX_LAG_MS = 3000

describe.skipIf(!REPLICA_TESTS)('reads that can wait, on the hot standby', () => {
  const pair = replicaPair('reads')
  let server: RunningServer
  let api: ReturnType<typeof client>
  let v: SeededVillage
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .slice(0, 7)

  beforeAll(async () => {
    const urls = await pair.start()
    server = await startServer(
      urls.primary,
      { GONGYI_DB_REPLICA: urls.standby, GONGYI_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS), GONGYI_BACKUPS: 'off' },
      90_000,
    )
    api = client(server.base)
    v = await seedVillage(api, { households: 5, points: 10, tag: 'RR' })
  }, 300_000)

  afterAll(async () => {
    server?.kill('SIGTERM')
    await Promise.race([server?.exited, new Promise((r) => setTimeout(r, 20_000))])
    await pair.stop()
  }, 90_000)

  const exportNumbers = async () => {
    const res = await fetch(`${server.base}/api/villages/${v.vid}/exports/monthly?month=${month}&format=json`, {
      headers: { authorization: `Bearer ${v.tokens.clerk}` },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { households: { householdNo: string }[] }
    return {
      from: res.headers.get('x-gongyi-read-from'),
      lag: res.headers.get('x-gongyi-replica-lag-ms'),
      why: res.headers.get('x-gongyi-replica-fallback'),
      numbers: body.households.map((h) => h.householdNo),
    }
  }
  const addHousehold = async (no: string) => {
    const res = await api.post(
      `/api/villages/${v.vid}/households`,
      { householdNo: no, headName: '新户' },
      v.tokens.clerk,
    )
    expect(res.status).toBe(201)
    return res
  }
  const untilStandby = async () => {
    const deadline = Date.now() + 30_000
    for (;;) {
      const r = await exportNumbers()
      if (r.from === 'standby' || Date.now() > deadline) return r
      await new Promise((ok) => setTimeout(ok, 250))
    }
  }

  test('exports, boards, passbooks, the roll-up, the summary and verification say they were read on the standby and how far behind', async () => {
    const r = await untilStandby()
    expect(r).toMatchObject({ from: 'standby', why: null })
    expect(Number(r.lag)).toBeGreaterThanOrEqual(0)
    expect(Number(r.lag)).toBeLessThanOrEqual(MAX_LAG_MS)
    const hid = (await api.get(`/api/villages/${v.vid}/households?limit=1`, v.tokens.clerk)).body.items[0].id
    for (const [path, token] of [
      [`/api/villages/${v.vid}/board?month=${month}`, v.tokens.clerk],
      [`/api/households/${hid}/passbook?month=${month}`, v.tokens.clerk],
      [`/api/rollup?month=${month}`, v.tokens.admin],
      [`/api/villages/${v.vid}/ledger/verify`, v.tokens.approver],
      [`/api/villages/${v.vid}/supermarket/summary`, v.tokens.cashier],
    ] as const) {
      const res = await fetch(server.base + path, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status, path).toBe(200)
      expect(res.headers.get('x-gongyi-read-from'), path).toBe('standby')
    }
    // The counter's reads (a household's balance) and the writes are the primary's: no such header.
    const counter = await fetch(`${server.base}/api/households/${hid}`, {
      headers: { authorization: `Bearer ${v.tokens.cashier}` },
    })
    expect(counter.headers.get('x-gongyi-read-from')).toBeNull()
    expect((await addHousehold('RR-W1')).status).toBe(201)
  })

  test('a standby that stopped replaying: first read there (stale, and saying so), then, once over the limit, on the primary', async () => {
    await addHousehold('RR-BEFORE')
    expect((await untilStandby()).numbers).toContain('RR-BEFORE')
    await pair.run('pause-replay')
    try {
      await addHousehold('RR-LATE') // committed on the primary (synchronous_commit = on waits for the standby's disk, not its replay)
      const stale = await exportNumbers()
      expect(stale.from).toBe('standby')
      expect(stale.numbers).not.toContain('RR-LATE')
      await new Promise((ok) => setTimeout(ok, MAX_LAG_MS + 1000))
      const fresh = await exportNumbers()
      expect(fresh.from).toBe('primary')
      expect(fresh.why).toMatch(/behind \(limit 3000 ms\)/)
      expect(Number(fresh.lag)).toBeGreaterThan(MAX_LAG_MS)
      expect(fresh.numbers).toContain('RR-LATE')
    } finally {
      await pair.run('resume-replay')
    }
    expect((await untilStandby()).numbers).toContain('RR-LATE')
  })

  test('a standby that is down: the primary serves, saying why; the standby serves again once it is back', async () => {
    await pair.run('stop-standby')
    try {
      let r = await exportNumbers()
      const deadline = Date.now() + 5000
      while (r.from === 'standby' && Date.now() < deadline) r = await exportNumbers() // a measurement cached from before
      expect(r.from).toBe('primary')
      expect(r.why).toMatch(/standby unreachable/)
      expect(r.numbers).toContain('RR-LATE')
    } finally {
      await pair.run('start-standby')
    }
    expect((await untilStandby()).from).toBe('standby')
  })
})
