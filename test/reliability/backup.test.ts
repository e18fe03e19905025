import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { checkDatabaseFile } from '../../server/ops/check-database.js'
import { BACKUPS_KEPT, dailyBackupJob, listBackups } from '../../server/ops/daily-backup.js'
import type { DB } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import { testContext } from '../context.js'
import { onPostgres } from '../db.js'
import { databaseChecksum } from './checksum.js'
import { type RunningServer, client, runCli, scratchDir, startServer } from './server.js'
import { awardEverybody, type SeededVillage, seedVillage } from './seed.js'

/*
 * SQLite only: these are the file backups of a SQLite installation (a PostgreSQL one uses pg_dump and its own
 * tooling). Backups as the village would take them: `npm run backup` while the server is busy, `npm run restore`,
 * `npm run verify`, and the server's own daily backups. The CLIs run as separate processes, like npm runs them.
 */

const dir = scratchDir('backup')
const live = join(dir, 'live', 'gongyi.db')
const backup = join(dir, 'copies', 'quiet.db')
let server: RunningServer
let api: ReturnType<typeof client>
let v: SeededVillage

beforeAll(async () => {
  if (onPostgres) return
  server = await startServer(live)
  api = client(server.base)
  v = await seedVillage(api, { households: 300, points: 50 })
})
afterAll(async () => {
  server?.kill('SIGTERM')
  await server?.exited
  rmSync(dir, { recursive: true, force: true })
})

async function checksumOf(file: string): Promise<string> {
  const sqlite = new SQLite(file, { readonly: true })
  const db: DB = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  try {
    return await databaseChecksum(db)
  } finally {
    await db.destroy()
  }
}

/** A backup of the live database for the tests that restore or tamper with one, whichever test runs first. */
let taken: Promise<void> | undefined
function aBackup(): Promise<string> {
  taken ??= runCli('server/cli/backup.ts', ['--db', live, '--out', backup]).then((r) => {
    if (r.code !== 0) throw new Error(`backup failed: ${r.output}`)
  })
  return taken.then(() => backup)
}

/** An adjustment as it is made now: one approver proposes, a second approves (issue 13). */
async function adjustTwice(householdId: string, amount: number) {
  const p = await api.post(
    `/api/households/${householdId}/adjustments`,
    { amount, reason: '负载测试' },
    v.tokens.approver2,
  )
  return p.status >= 300 ? p : api.post(`/api/adjustments/${p.body.id}/approve`, {}, v.tokens.approver)
}

/** A mix of writes that keeps the server busy until stopped: adjustments, new households, awards to everybody. */
function writeStorm() {
  let stop = false
  let writes = 0
  const worker = async (i: number) => {
    for (let n = 0; !stop; n++) {
      const h = v.householdIds[(i * 7919 + n * 104729) % v.householdIds.length]!
      const res =
        n % 10 === 9
          ? await api.post(
              `/api/villages/${v.vid}/households`,
              { householdNo: `S${i}-${n}-${Date.now()}`, headName: '新户' },
              v.tokens.clerk,
            )
          : n % 25 === 24
            ? { status: (await awardEverybody(api, v, v.householdIds), 201) }
            : await adjustTwice(h, 1 + (n % 5))
      if (res.status >= 300) throw new Error(`storm write failed: ${res.status}`)
      writes++
    }
  }
  const done = Promise.all([0, 1, 2, 3].map(worker))
  return {
    stop: async () => {
      stop = true
      await done
      return writes
    },
  }
}

describe.skipIf(onPostgres)('online backup and restore', () => {
  test('the server takes a daily backup into data/backups beside its database when it starts', async () => {
    const backups = join(dir, 'live', 'backups')
    for (let i = 0; i < 100 && listBackups(backups).length === 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(listBackups(backups)).toHaveLength(1)
    expect((await checkDatabaseFile(join(backups, listBackups(backups)[0]!))).ok).toBe(true)
  })

  test('npm run backup during a storm of writes gives a copy that verifies; npm run restore puts it back and a server serves it', async () => {
    const underLoad = join(dir, 'storm', 'under-load.db')
    const storm = writeStorm()
    await new Promise((r) => setTimeout(r, 300))
    const taken = await runCli('server/cli/backup.ts', ['--db', live, '--out', underLoad])
    const writes = await storm.stop()
    expect(taken.output).toContain('OK:')
    expect(taken.code).toBe(0)
    expect(writes).toBeGreaterThan(20)

    const copy = await checkDatabaseFile(underLoad)
    expect(copy.ok).toBe(true)
    const inCopy = copy.villages.find((x) => x.id === v.vid)!.ledger.entries
    const now = (await api.get(`/api/villages/${v.vid}/ledger/verify`, v.tokens.clerk)).body
    expect(now.ok).toBe(true)
    expect(inCopy).toBeGreaterThanOrEqual(300) // at least the opening award
    expect(inCopy).toBeLessThanOrEqual(now.entries) // a snapshot from during the storm
    expect(readdirSync(join(dir, 'storm'))).toEqual(['under-load.db']) // one self-contained file, no -wal beside it

    const target = join(dir, 'restored', 'gongyi.db')
    const restored = await runCli('server/cli/restore.ts', [underLoad, '--db', target])
    expect(restored.output).toContain('restored')
    expect(restored.code).toBe(0)
    const second = await startServer(target)
    try {
      const c = client(second.base)
      const verify = (
        await c.get(`/api/villages/${v.vid}/ledger/verify`, await c.login('admin', 'reliability-admin-pw'))
      ).body
      expect(verify).toMatchObject({ ok: true, entries: inCopy })
    } finally {
      second.kill('SIGTERM')
      await second.exited
    }
  })

  test('restore over an existing database keeps the replaced one beside it', async () => {
    const target = join(dir, 'over', 'gongyi.db')
    expect((await runCli('server/cli/restore.ts', [await aBackup(), '--db', target])).code).toBe(0)
    const again = await runCli('server/cli/restore.ts', [await aBackup(), '--db', target])
    expect(again.code).toBe(0)
    const kept = readdirSync(join(dir, 'over')).filter((f) => f.startsWith('gongyi.db.before-restore-'))
    expect(kept).toHaveLength(1)
    expect((await checkDatabaseFile(join(dir, 'over', kept[0]!))).ok).toBe(true)
  })
})

/** Edits a ledger row behind the application's back, as someone holding the file could: drop the guard, update. */
function tamper(file: string, edit: (db: SQLite.Database) => string): string {
  const db = new SQLite(file)
  db.exec('DROP TRIGGER ledger_entries_no_update')
  const what = edit(db)
  db.close()
  return what
}

describe.skipIf(onPostgres)('refusals', () => {
  test('restore refuses a backup whose ledger was edited, and leaves the live database as it was', async () => {
    const bad = join(dir, 'copies', 'tampered.db')
    copyFileSync(await aBackup(), bad)
    const entryId = tamper(bad, (db) => {
      const e = db
        .prepare('select id from ledger_entries where village_id = ? order by seq limit 1 offset 10')
        .get(v.vid) as { id: string }
      db.prepare('update ledger_entries set memo = ? where id = ?').run('改过的备注', e.id)
      return e.id
    })
    const target = join(dir, 'guarded', 'gongyi.db')
    expect((await runCli('server/cli/restore.ts', [await aBackup(), '--db', target])).code).toBe(0)
    const before = await checksumOf(target)

    const refused = await runCli('server/cli/restore.ts', [bad, '--db', target])
    expect(refused.code).toBe(1)
    expect(refused.output).toContain('refusing')
    expect(refused.output).toContain(entryId)
    expect(await checksumOf(target)).toBe(before)
    expect(readdirSync(join(dir, 'guarded')).filter((f) => f.includes('before-restore'))).toEqual([])
  })

  test('restore refuses a file that is not a database', async () => {
    const junk = join(dir, 'copies', 'junk.db')
    mkdirSync(join(dir, 'copies'), { recursive: true })
    writeFileSync(junk, 'this is not a database, just a photo of one')
    const target = join(dir, 'junk-target', 'gongyi.db')
    const refused = await runCli('server/cli/restore.ts', [junk, '--db', target])
    expect(refused.code).toBe(1)
    expect(existsSync(target)).toBe(false)
  })
})

describe.skipIf(onPostgres)('npm run verify', () => {
  test('passes on a good database and on the live one while the server runs', async () => {
    const good = await runCli('server/cli/verify.ts', ['--db', await aBackup()])
    expect(good.code).toBe(0)
    expect(good.output).toContain(`✓ ${v.code}`)
    const running = await runCli('server/cli/verify.ts', ['--db', live])
    expect(running.code).toBe(0)
  })

  test('catches an amount edited with raw SQL and names the entry', async () => {
    const bad = join(dir, 'copies', 'amount.db')
    copyFileSync(await aBackup(), bad)
    const entryId = tamper(bad, (db) => {
      const e = db
        .prepare('select id from ledger_entries where village_id = ? order by seq desc limit 1 offset 3')
        .get(v.vid) as { id: string }
      db.prepare(
        'update ledger_entries set amount = amount + 100, balance_after = balance_after + 100 where id = ?',
      ).run(e.id)
      return e.id
    })
    const res = await runCli('server/cli/verify.ts', ['--db', bad])
    expect(res.code).toBe(1)
    expect(res.output).toContain(`first bad entry ${entryId}`)
    expect(res.output).toContain('FAILED')
  })

  test('catches a balance edited without a posting, and stock that does not equal its moves', async () => {
    const bad = join(dir, 'copies', 'balance.db')
    copyFileSync(await aBackup(), bad)
    const db = new SQLite(bad)
    db.prepare(`update accounts set balance = balance + 500 where household_id = ?`).run(v.householdIds[0])
    // Goods on the shelf that no receipt brought in.
    db.prepare(
      `insert into products (id, village_id, sku, name, points_price, stock, created_at) values ('ghost', ?, 'G1', '凭空出现的米', 10, 5, '2024-01-01T00:00:00Z')`,
    ).run(v.vid)
    db.close()
    const res = await runCli('server/cli/verify.ts', ['--db', bad])
    expect(res.code).toBe(1)
    expect(res.output).toMatch(/balance \d+ ≠ postings \d+/)
    expect(res.output).toContain('product ghost: stock 5 ≠ stock moves 0')
  })
})

describe.skipIf(onPostgres)('daily backups', () => {
  test('one a day whenever the server runs, the newest 14 kept, each one verifying', async () => {
    const folder = scratchDir('daily')
    const t = await testContext(join(folder, 'gongyi.db'))
    const w = await t.village()
    const h = await t.household(w.vid, w.tokens.clerk!)
    let now = new Date('2024-06-01T02:00:00Z')
    const lines: string[] = []
    const job = dailyBackupJob(t.sqlite!, join(folder, 'backups'), { now: () => now, log: (l) => lines.push(l) })

    await job()
    await job()
    expect(listBackups(join(folder, 'backups'))).toEqual(['gongyi-20240601-020000.db'])
    now = new Date('2024-06-02T01:59:00Z') // less than a day later: nothing
    await job()
    expect(listBackups(join(folder, 'backups'))).toHaveLength(1)
    for (let day = 0; day < 20; day++) {
      const p = await t.api.post(
        `/api/households/${h.id}/adjustments`,
        { amount: 1, reason: `第${day}天` },
        w.tokens.approver2,
      )
      await t.api.post(`/api/adjustments/${p.body.id}/approve`, {}, w.tokens.approver)
      now = new Date(now.getTime() + 24 * 60 * 60 * 1000 + 60_000)
      await job()
    }
    const kept = listBackups(join(folder, 'backups'))
    expect(kept).toHaveLength(BACKUPS_KEPT)
    expect(kept[kept.length - 1]).toBe(`gongyi-20240622-021900.db`)
    const newest = await checkDatabaseFile(join(folder, 'backups', kept[kept.length - 1]!))
    expect(newest.ok).toBe(true)
    expect(newest.villages.find((x) => x.id === w.vid)!.ledger.entries).toBe(20)
    expect(lines.every((l) => JSON.parse(l).msg === 'daily backup')).toBe(true)
    await t.audit.flush()
    await t.close()
    rmSync(folder, { recursive: true, force: true })
  })
})
