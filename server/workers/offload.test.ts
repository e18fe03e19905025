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

beforeAll(async () => {
  const file = join(scratchDir('workers'), 'gongyi.db')
  t = await testContext(file)
  pool = new WorkerPool(file, 2)
  v = await t.village()
  const rule = await createRule(t, v.vid, v.tokens.clerk!, { code: 'G1', name: '孝老爱亲', points: 8 })
  const hs = [await t.household(v.vid, v.tokens.clerk!, { headName: '张三' }), await t.household(v.vid, v.tokens.clerk!, { headName: '王"五<六>' })]
  await postNow(t.db, v.vid, null, Array.from({ length: 300 }, (_, i) => spec.award(hs[i % 2]!.id, rule)))
}, 60_000)

afterAll(async () => {
  await pool?.close()
})

const bytes = async (body: ReadableStream<Uint8Array>) => Buffer.from(await new Response(body).arrayBuffer())

// SQLite-only: the threads open the database file read-only; on PostgreSQL there is no file and no pool.
describe.skipIf(onPostgres)('worker threads on a database file', () => {
  test('csv and json exports are byte for byte the in-process ones; the workbook has the same rows', async () => {
    for (const format of ['csv', 'json', 'xlsx'] as const) {
      const here = await monthlyExport(t.db, SYSTEM_ACTOR, v.vid, month, format)
      const there = await monthlyExport(t.db, SYSTEM_ACTOR, v.vid, month, format, pool)
      expect([there.fileName, there.chainHead, there.contentType]).toEqual([here.fileName, here.chainHead, here.contentType])
      const [a, b] = [await bytes(here.body), await bytes(there.body)]
      if (format === 'xlsx') {
        const [wa, wb] = [await readWorkbook(a), await readWorkbook(b)]
        for (const name of Object.values(SHEETS)) expect(sheetRows(wb.getWorksheet(name)!)).toEqual(sheetRows(wa.getWorksheet(name)!))
        expect(sheetRows(wb.getWorksheet(SHEETS.entries)!)).toHaveLength(301)
      } else expect(b.equals(a)).toBe(true)
    }
  }, 60_000)

  test('an export refused before its first byte is the same refusal; a client that stops reading frees the thread', async () => {
    await expect(monthlyExport(t.db, SYSTEM_ACTOR, 'no-such-village', month, 'csv', pool)).rejects.toMatchObject({ name: 'DomainError', code: 'NOT_FOUND' })
    const started = await monthlyExport(t.db, SYSTEM_ACTOR, v.vid, month, 'json', pool)
    const reader = started.body.getReader()
    await reader.read()
    await reader.cancel()
    for (let i = 0; i < 4; i++) expect((await verifyLedger(t.db, SYSTEM_ACTOR, v.vid, pool)).ok).toBe(true)
  }, 60_000)

  test("another village's staff is refused before a thread is asked, and the worker checks the actor it is given", async () => {
    const clerk = { id: 'u-x', username: 'x', roles: ['clerk' as const], villageId: 'another-village' }
    await expect(verifyLedger(t.db, clerk, v.vid, pool)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(monthlyExport(t.db, clerk, v.vid, month, 'csv', pool)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(pool.run({ kind: 'verify-ledger', actor: clerk, villageId: v.vid })).rejects.toMatchObject({ name: 'DomainError', code: 'FORBIDDEN' })
  }, 60_000)

  test('verification and the county check give the in-process answers', async () => {
    expect(await verifyLedger(t.db, SYSTEM_ACTOR, v.vid, pool)).toEqual(await verifyLedger(t.db, SYSTEM_ACTOR, v.vid))
    const [threads, here] = [await checkDatabaseFile(pool.file, { threads: 2 }), await checkDatabaseFile(pool.file, { threads: 0 })]
    expect(threads.ok).toBe(true)
    expect(threads).toEqual(here)
  }, 60_000)

  test('a roster parsed on a worker imports all or nothing on the main connection', async () => {
    const good = '户号,户主\nW-1,李四\nW-2,赵六\n'
    expect(await importRoster(t.db, SYSTEM_ACTOR, v.vid, new TextEncoder().encode(good), pool)).toEqual({ created: 2 })
    const bad = '户号,户主\nW-3,钱七\nW-1,重复\n'
    await expect(importRoster(t.db, SYSTEM_ACTOR, v.vid, new TextEncoder().encode(bad), pool)).rejects.toMatchObject({ code: 'INVALID_ROWS' })
    const numbers = (await t.db.selectFrom('households').select('household_no').where('village_id', '=', v.vid).execute()).map((h) => h.household_no)
    expect(numbers).toContain('W-2')
    expect(numbers).not.toContain('W-3')
  }, 60_000)
})
