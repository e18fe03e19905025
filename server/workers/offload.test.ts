import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { localMonth } from '../../shared/time.js'
import { type TestContext, testContext } from '../../test/context.js'
import { onPostgres } from '../../test/db.js'
import { scratchDir } from '../../test/reliability/server.js'
import { createRule, postNow, readWorkbook, sheetRows, spec } from '../../test/support/exports-fixtures.js'
import { SYSTEM_ACTOR } from '../core/actor.js'
import { monthlyExport } from '../exports/monthly.js'
import { SHEETS } from '../exports/xlsx.js'
import { checkDatabaseFile } from '../ops/check-database.js'
import { checkpointSignatureValid, ephemeralCheckpointKey, takeCheckpoint } from '../ledger/checkpoint.js'
import { importRoster } from '../households/roster-import.js'
import { verifyLedger } from '../ledger/verify.js'
import { WorkerPool } from './pool.js'

/*
 * The worker path on a database file, against the in-process path (what ':memory:' tests use) on the same
 * data: the same bytes, the same verification, the same all-or-nothing import.
 */

let t: TestContext
let pool: WorkerPool
let v: Awaited<ReturnType<TestContext['village']>>
const month = localMonth(new Date(), 'Asia/Shanghai')
const key = ephemeralCheckpointKey()

beforeAll(async () => {
  const file = join(scratchDir('workers'), 'gongyi.db')
  t = await testContext(file)
  pool = new WorkerPool(file, 2)
  v = await t.village()
  const rule = await createRule(t, v.vid, v.tokens.clerk!, { code: 'G1', name: '孝老爱亲', points: 8 })
  const hs = [
    await t.household(v.vid, v.tokens.clerk!, { headName: '张三' }),
    await t.household(v.vid, v.tokens.clerk!, { headName: '王"五<六>' }),
  ]
  await postNow(
    t.db,
    v.vid,
    null,
    Array.from({ length: 300 }, (_, i) => spec.award(hs[i % 2]!.id, rule)),
  )
}, 60_000)

afterAll(async () => {
  await pool?.close()
})

const bytes = async (body: ReadableStream<Uint8Array>) => Buffer.from(await new Response(body).arrayBuffer())

// SQLite-only: the threads open the database file read-only; on PostgreSQL there is no file and no pool.
describe.skipIf(onPostgres)('worker threads on a database file', () => {
  test('csv and json exports are byte for byte the in-process ones; the workbook has the same rows', async () => {
    for (const format of ['csv', 'json', 'xlsx'] as const) {
      const here = await monthlyExport(t.db, SYSTEM_ACTOR, v.vid, month, format, key)
      const there = await monthlyExport(t.db, SYSTEM_ACTOR, v.vid, month, format, key, pool)
      expect([there.fileName, there.chainHead, there.contentType]).toEqual([
        here.fileName,
        here.chainHead,
        here.contentType,
      ])
      const [a, b] = [await bytes(here.body), await bytes(there.body)]
      if (format === 'xlsx') {
        const [wa, wb] = [await readWorkbook(a), await readWorkbook(b)]
        for (const name of Object.values(SHEETS))
          expect(sheetRows(wb.getWorksheet(name)!)).toEqual(sheetRows(wa.getWorksheet(name)!))
        expect(sheetRows(wb.getWorksheet(SHEETS.entries)!)).toHaveLength(301)
      } else expect(b.equals(a)).toBe(true)
    }
  }, 60_000)

  test("the worker cuts and signs the export's checkpoint with the key it is handed (json field, csv row, xlsx row)", async () => {
    const json = JSON.parse(
      (await bytes((await monthlyExport(t.db, SYSTEM_ACTOR, v.vid, month, 'json', key, pool)).body)).toString('utf8'),
    )
    expect(json.checkpoint).toMatchObject({ villageId: v.vid, keyId: key.keyId })
    expect(checkpointSignatureValid(key.publicKey, json.checkpoint)).toBe(true)
    const csv = (await bytes((await monthlyExport(t.db, SYSTEM_ACTOR, v.vid, month, 'csv', key, pool)).body)).toString(
      'utf8',
    )
    expect(csv).toContain(json.checkpoint.signature)
    const wb = await readWorkbook(
      await bytes((await monthlyExport(t.db, SYSTEM_ACTOR, v.vid, month, 'xlsx', key, pool)).body),
    )
    expect(JSON.stringify(sheetRows(wb.getWorksheet(SHEETS.statement)!))).toContain(json.checkpoint.signature)
  }, 60_000)

  test('an export refused before its first byte is the same refusal; a client that stops reading frees the thread', async () => {
    await expect(monthlyExport(t.db, SYSTEM_ACTOR, 'no-such-village', month, 'csv', key, pool)).rejects.toMatchObject({
      name: 'DomainError',
      code: 'NOT_FOUND',
    })
    const started = await monthlyExport(t.db, SYSTEM_ACTOR, v.vid, month, 'json', key, pool)
    const reader = started.body.getReader()
    await reader.read()
    await reader.cancel()
    for (let i = 0; i < 4; i++) expect((await verifyLedger(t.db, SYSTEM_ACTOR, v.vid, pool)).ok).toBe(true)
  }, 60_000)

  test("another village's staff is refused before a thread is asked, and the worker checks the actor it is given", async () => {
    const clerk = { id: 'u-x', username: 'x', roles: ['clerk' as const], villageId: 'another-village' }
    await expect(verifyLedger(t.db, clerk, v.vid, pool)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(monthlyExport(t.db, clerk, v.vid, month, 'csv', key, pool)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(pool.run({ kind: 'verify-ledger', actor: clerk, villageId: v.vid })).rejects.toMatchObject({
      name: 'DomainError',
      code: 'FORBIDDEN',
    })
  }, 60_000)

  test('verification and the county check give the in-process answers', async () => {
    expect(await verifyLedger(t.db, SYSTEM_ACTOR, v.vid, pool)).toEqual(await verifyLedger(t.db, SYSTEM_ACTOR, v.vid))
    const [threads, here] = [
      await checkDatabaseFile(pool.file, { threads: 2 }),
      await checkDatabaseFile(pool.file, { threads: 0 }),
    ]
    expect(threads.ok).toBe(true)
    expect(threads).toEqual(here)
    // With checkpoints, each thread checks its village's: one good, one forged, one of an unknown village.
    const good = await takeCheckpoint(t.db, SYSTEM_ACTOR, key, v.vid)
    const checkpoints = [good, { ...good, head: 'f'.repeat(64) }, { ...good, villageId: 'no-such-village' }]
    const opts = { checkpoints, publicKey: key.publicKey }
    const [cThreads, cHere] = [
      await checkDatabaseFile(pool.file, { ...opts, threads: 2 }),
      await checkDatabaseFile(pool.file, { ...opts, threads: 0 }),
    ]
    expect(cThreads).toEqual(cHere)
    expect(cThreads.ok).toBe(false)
    expect(cThreads.unknownCheckpoints).toBe(1)
    const mine = cThreads.villages.find((x) => x.id === v.vid)!.ledger
    expect(mine.checkpoints).toMatchObject({ checked: 2, failed: [{ checkpoint: { head: 'f'.repeat(64) } }] })
    expect((await checkDatabaseFile(pool.file, { checkpoints: [good], publicKey: key.publicKey, threads: 2 })).ok).toBe(
      true,
    )
  }, 60_000)

  test('a roster parsed on a worker imports all or nothing on the main connection', async () => {
    const good = '户号,户主\nW-1,李四\nW-2,赵六\n'
    expect(await importRoster(t.db, SYSTEM_ACTOR, v.vid, new TextEncoder().encode(good), pool)).toEqual({ created: 2 })
    const bad = '户号,户主\nW-3,钱七\nW-1,重复\n'
    await expect(importRoster(t.db, SYSTEM_ACTOR, v.vid, new TextEncoder().encode(bad), pool)).rejects.toMatchObject({
      code: 'INVALID_ROWS',
    })
    const numbers = (
      await t.db.selectFrom('households').select('household_no').where('village_id', '=', v.vid).execute()
    ).map((h) => h.household_no)
    expect(numbers).toContain('W-2')
    expect(numbers).not.toContain('W-3')
  }, 60_000)
})
