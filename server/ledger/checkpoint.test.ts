import { spawn } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../test/context.js'
import { onPostgres, queryOne, queryRows } from '../../test/db.js'
import type { DB } from '../../db/database.js'
import { SYSTEM_ACTOR } from '../core/actor.js'
import { createHousehold } from '../households/households.service.js'
import { createVillage } from '../villages/villages.service.js'
import { loadOrCreateCheckpointKey } from './checkpoint.js'
import { entryHash, GENESIS } from './hash-chain.js'
import { appendEntries } from './ledger.service.js'
import { verifyLedger } from './verify.js'

let dir: string
let t: TestContext
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gongyi-checkpoint-'))
  t = await testContext(join(dir, 'gongyi.db'))
})
afterAll(async () => {
  await t.close()
  rmSync(dir, { recursive: true, force: true })
})

async function freshVillage(n = 3) {
  const village = await createVillage(t.db, SYSTEM_ACTOR, {
    code: `V${Math.random().toString(36).slice(2, 8)}`,
    name: '测试村',
  })
  const households = []
  for (let i = 0; i < n; i++)
    households.push(await createHousehold(t.db, SYSTEM_ACTOR, village.id, { householdNo: `H${i}`, headName: '王五' }))
  return { vid: village.id, hids: households.map((h) => h.id) }
}

const award = (villageId: string, householdId: string, amount: number) =>
  t.db.transaction().execute((trx) =>
    appendEntries(trx, villageId, null, [
      {
        kind: amount > 0 ? 'award' : 'deduction',
        householdId,
        amount,
        counter: amount > 0 ? 'issuance' : 'penalties',
        memo: 'test',
        honourDelta: amount,
      },
    ]),
  )

const checkpoint = async (vid: string) => {
  const res = await t.api.get(`/api/villages/${vid}/ledger/checkpoint`, t.adminToken)
  expect(res.status).toBe(200)
  return res.body
}
const verifyWith = (vid: string, checkpoints: unknown[]) =>
  t.api.post(`/api/villages/${vid}/ledger/verify`, { checkpoints }, t.adminToken)

/**
 * What an insider with the file (or the database password) can do: switch the guards off, change what they
 * like, then recompute every running balance, every hash after it and every kept balance, so that the chain
 * checked against itself passes. SQLite: drop the triggers; PostgreSQL: ALTER TABLE … DISABLE TRIGGER USER.
 */
async function rewriteHistory(db: DB, vid: string, edit: () => Promise<void>) {
  for (const table of ['ledger_entries', 'ledger_postings']) {
    if (onPostgres) await queryRows(db, `alter table ${table} disable trigger user`)
    else for (const op of ['update', 'delete']) await queryRows(db, `drop trigger if exists ${table}_no_${op}`)
  }
  await edit()
  const entries = await db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('village_id', '=', vid)
    .orderBy('seq')
    .execute()
  const running = new Map<string, number>()
  let prev = GENESIS
  for (const e of entries) {
    if (e.household_id) {
      e.balance_after = (running.get(e.household_id) ?? 0) + e.amount
      running.set(e.household_id, e.balance_after)
    }
    e.prev_hash = prev
    const postings = await db
      .selectFrom('ledger_postings')
      .select(['account_id as account', 'amount'])
      .where('entry_id', '=', e.id)
      .execute()
    const { hash: _old, ...rest } = e
    e.hash = entryHash(rest, postings)
    await db
      .updateTable('ledger_entries')
      .set({ balance_after: e.balance_after, prev_hash: e.prev_hash, hash: e.hash })
      .where('id', '=', e.id)
      .execute()
    prev = e.hash
  }
  await queryRows(
    db,
    `update accounts set balance = coalesce((select sum(p.amount) from ledger_postings p where p.account_id = accounts.id), 0)
    where village_id = ?`,
    vid,
  )
}

function runVerifyCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/verify.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('close', (code) => resolve({ code, output }))
  })
}

describe('checkpoints', () => {
  test('a checkpoint names the head at a seq and is signed; a forged or altered one is refused', async () => {
    const { vid, hids } = await freshVillage()
    const empty = await checkpoint(vid)
    expect(empty).toMatchObject({ villageId: vid, seq: 0, head: GENESIS })
    await award(vid, hids[0]!, 10)
    const cp = await checkpoint(vid)
    expect(cp.seq).toBe(1)
    expect(cp.signature).toMatch(/^[\w-]+$/)
    expect((await verifyWith(vid, [empty, cp])).body).toMatchObject({
      ok: true,
      checkpoints: { checked: 2, failed: [] },
    })
    // Someone hands in a checkpoint with another head: the signature does not cover it.
    const altered = await verifyWith(vid, [{ ...cp, head: 'a'.repeat(64) }])
    expect(altered.body.ok).toBe(false)
    expect(altered.body.checkpoints.failed[0].problem).toMatch(/signature/)
  })

  test('an entry edited with every hash and balance recomputed passes the chain alone, not the checkpoints', async () => {
    const { vid, hids } = await freshVillage()
    for (const h of hids) await award(vid, h, 10)
    const held = await checkpoint(vid) // the township keeps this one
    await award(vid, hids[0]!, -3)
    await rewriteHistory(t.db, vid, async () => {
      // Turn the first award of 10 into 1,010: the entry and both postings.
      const e = (await queryOne<{ id: string; household_id: string }>(
        t.db,
        'select id, household_id from ledger_entries where village_id = ? and seq = 1',
        vid,
      ))!
      await queryRows(t.db, 'update ledger_entries set amount = 1010 where id = ?', e.id)
      await queryRows(
        t.db,
        'update ledger_postings set amount = case when account_id = ? then 1010 else -1010 end where entry_id = ?',
        e.household_id,
        e.id,
      )
    })
    expect((await verifyLedger(t.db, SYSTEM_ACTOR, vid)).ok).toBe(true) // the chain checked only against itself is fooled
    const res = await verifyWith(vid, [held])
    expect(res.status).toBe(200)
    expect(res.body.ok).toBe(false)
    expect(res.body.checkpoints.failed).toEqual([
      {
        checkpoint: { villageId: vid, seq: held.seq, head: held.head, at: held.at },
        problem: expect.stringMatching(/rewritten/),
      },
    ])
  })

  test('a chain cut short (the last entries deleted, balances fixed) fails the checkpoint past its end', async () => {
    const { vid, hids } = await freshVillage()
    await award(vid, hids[0]!, 10)
    await award(vid, hids[0]!, -8) // the deduction someone wants gone
    const held = await checkpoint(vid)
    await rewriteHistory(t.db, vid, async () => {
      const last = (await queryOne<{ id: string }>(
        t.db,
        'select id from ledger_entries where village_id = ? and seq = 2',
        vid,
      ))!
      await queryRows(t.db, 'delete from ledger_postings where entry_id = ?', last.id)
      await queryRows(t.db, 'delete from ledger_entries where id = ?', last.id)
    })
    expect((await verifyLedger(t.db, SYSTEM_ACTOR, vid)).ok).toBe(true)
    const res = await verifyWith(vid, [held])
    expect(res.body.ok).toBe(false)
    expect(res.body.checkpoints.failed[0]).toMatchObject({
      checkpoint: { seq: 2 },
      problem: expect.stringMatching(/chain ends at seq 1/),
    })
  })

  // `npm run verify` reads a SQLite file (a PostgreSQL installation is checked through the API's verify, which
  // the truncation test above runs on both): the restored-file attack is SQLite's.
  test.skipIf(onPostgres)(
    'npm run verify --checkpoints fails, naming the checkpoint, on a restored older copy; passes on the live file',
    async () => {
      const { vid, hids } = await freshVillage()
      await award(vid, hids[1]!, 50)
      const old = join(dir, 'last-month.db')
      await t.sqlite!.backup(old) // a copy taken before the deduction
      await award(vid, hids[1]!, -40)
      const held = await checkpoint(vid)
      const cpFile = join(dir, 'checkpoints.json')
      writeFileSync(cpFile, JSON.stringify({ checkpoints: [held] }))
      const keyFile = join(dir, 'key.pub.pem')
      writeFileSync(keyFile, t.secrets.checkpointKey.publicKey.export({ type: 'spki', format: 'pem' }) as string)

      const live = await runVerifyCli(['--db', join(dir, 'gongyi.db'), '--checkpoints', cpFile, '--key', keyFile])
      expect(live.output).toContain('passes through 1/1 checkpoint(s)')

      const restored = join(dir, 'restored.db')
      copyFileSync(old, restored)
      const res = await runVerifyCli(['--db', restored, '--checkpoints', cpFile, '--key', keyFile])
      expect(res.code).toBe(1)
      expect(res.output).toContain(`checkpoint seq ${held.seq}`)
      expect(res.output).toMatch(/older copy was restored/)
    },
    90_000,
  )

  test('every monthly export, the board and the passbook carry the month-end checkpoint, and it verifies', async () => {
    const { vid, hids } = await freshVillage()
    await award(vid, hids[0]!, 7)
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7) // Asia/Shanghai
    const json = await t.api.get(`/api/villages/${vid}/exports/monthly?month=${month}&format=json`, t.adminToken)
    expect(json.body.checkpoint).toMatchObject({ villageId: vid, seq: 1, head: json.body.chainHead })
    expect((await verifyWith(vid, [json.body.checkpoint])).body.ok).toBe(true)
    const csv = await t.api.get(`/api/villages/${vid}/exports/monthly?month=${month}&format=csv`, t.adminToken)
    expect(csv.text).toContain('签名检查点')
    expect(csv.text).toContain(json.body.checkpoint.signature)
    const board = await t.api.get(`/api/villages/${vid}/board?month=${month}`, t.adminToken)
    expect(board.text).toContain(json.body.checkpoint.signature)
    expect(board.text).toMatch(/class="checkpoint"[\s\S]*<svg/)
    const passbook = await t.api.get(`/api/households/${hids[0]}/passbook?month=${month}`, t.adminToken)
    expect(passbook.text).toContain(json.body.checkpoint.signature)
  })

  test('the key lives beside the database in keys/, owner-only, and is the same on the next start', () => {
    const keys = join(dir, 'keys')
    const first = loadOrCreateCheckpointKey(keys)
    expect(statSync(first.file!).mode & 0o777).toBe(0o600)
    expect(loadOrCreateCheckpointKey(keys).keyId).toBe(first.keyId)
  })
})
