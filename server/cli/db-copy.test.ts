import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { createPgDatabase, onPostgres } from '../../test/db.js'
import { scratchDir } from '../../test/reliability/server.js'
import { appendEntries } from '../ledger/ledger.service.js'
import { migrateToLatest, openDatabase, withTransaction } from '../../db/database.js'
import { verifyLedger } from '../ledger/verify.js'
import { SYSTEM_ACTOR } from '../core/actor.js'

// Needs a PostgreSQL server to copy into (npm run test:pg).
describe.skipIf(!onPostgres)('npm run db:copy', () => {
  const drops: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const d of drops) await d()
  })

  test('copies a SQLite installation into an empty PostgreSQL database; every chain verifies with the same head', async () => {
    const file = join(scratchDir('db-copy'), 'gongyi.db')
    // The source is a SQLite file even under test:pg: open it directly, not through testContext's factory.
    const t = openDatabase(file)
    await migrateToLatest(t.db)
    const villages = ['A', 'B']
    for (const code of villages) {
      await t.db
        .insertInto('villages')
        .values({ id: `v${code}`, code, name: code, created_at: new Date().toISOString() })
        .execute()
      await t.db
        .insertInto('accounts')
        .values(
          ['issuance', 'penalties', 'supermarket', 'expired'].map((k) => ({
            id: `v${code}:${k}`,
            village_id: `v${code}`,
            kind: k as 'issuance',
            household_id: null,
            balance: 0,
          })),
        )
        .execute()
      for (let i = 0; i < 30; i++) {
        const id = `h${code}${i}`
        const now = new Date().toISOString()
        await t.db
          .insertInto('households')
          .values({
            id,
            village_id: `v${code}`,
            household_no: `${i}`,
            head_name: '张三',
            search_key: `${i}`,
            created_at: now,
            updated_at: now,
            phone: null,
            address: null,
            pin_hash: null,
            pin_locked_until: null,
            suspended_until: null,
            suspended_reason: null,
          })
          .execute()
        await t.db
          .insertInto('accounts')
          .values({ id, village_id: `v${code}`, kind: 'household', household_id: id, balance: 0 })
          .execute()
        await withTransaction(t.db, (trx) =>
          appendEntries(trx, `v${code}`, null, [
            { kind: 'award', householdId: id, amount: 10 + i, counter: 'issuance', memo: '好人好事' },
            { kind: 'deduction', householdId: id, amount: -3, counter: 'penalties', memo: '扣分' },
          ]),
        )
      }
    }
    await t.close()

    const target = await createPgDatabase('gongyi_copy')
    drops.push(target.drop)
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'server/cli/db-copy.ts', '--from', file, '--to', target.url],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )
    expect(out).toMatch(/✓ A: 60 entries/)
    expect(out).toMatch(/✓ B: 60 entries/)

    const src = openDatabase(file)
    const dst = openDatabase(target.url)
    try {
      for (const code of villages) {
        const [a, b] = [
          await verifyLedger(src.db, SYSTEM_ACTOR, `v${code}`),
          await verifyLedger(dst.db, SYSTEM_ACTOR, `v${code}`),
        ]
        expect(b).toMatchObject({ ok: true, entries: 60 })
        expect(b.head).toBe(a.head)
      }
      // The identity counters moved past the copied ids: a new posting gets a fresh id.
      await withTransaction(dst.db, (trx) =>
        appendEntries(trx, 'vA', null, [
          { kind: 'award', householdId: 'hA0', amount: 1, counter: 'issuance', memo: 'after' },
        ]),
      )
      expect((await verifyLedger(dst.db, SYSTEM_ACTOR, 'vA')).ok).toBe(true)
    } finally {
      await src.close()
      await dst.close()
    }
    // A second copy into the now non-empty database is refused.
    expect(() =>
      execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/db-copy.ts', '--from', file, '--to', target.url], {
        stdio: 'pipe',
      }),
    ).toThrow()
  }, 120_000)
})
