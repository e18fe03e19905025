import fc from 'fast-check'
import { sql } from 'kysely'
import { beforeAll, describe, expect, test } from 'vitest'
import { migrateToLatest, openDatabase } from '../../db/database.js'
import { type TestContext, testContext } from '../../test/context.js'
import { createHousehold } from '../households/households.service.js'
import { createVillage } from '../villages/villages.service.js'
import { runAnnualReset } from './annual-reset.js'
import { reverseEntry } from './corrections.js'
import { approveAdjustment, proposeAdjustment } from './adjustments.js'
import { appendEntries, balanceOf } from './ledger.service.js'
import { type ActingUser, SYSTEM_ACTOR } from '../core/actor.js'
import { verifyLedger } from './verify.js'
import { DomainError } from '../core/errors.js'
import { onPostgres, openMigratedTestDatabase, queryOne, queryRows, refusal } from '../../test/db.js'

let t: TestContext
/** An approver the ledger records by id: 'tester'. */
const tester: ActingUser = { id: 'tester', username: 'tester', roles: ['admin'], villageId: null }
beforeAll(async () => {
  t = await testContext()
})

async function freshVillage(db = t.db, n = 3) {
  const village = await createVillage(db, SYSTEM_ACTOR, {
    code: `V${Math.random().toString(36).slice(2, 8)}`,
    name: '测试村',
  })
  const households = []
  for (let i = 0; i < n; i++)
    households.push(await createHousehold(db, SYSTEM_ACTOR, village.id, { householdNo: `H${i}`, headName: '王五' }))
  return { village, households }
}

const award = (db: typeof t.db, villageId: string, householdId: string, amount: number) =>
  db.transaction().execute((trx) =>
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

describe('the ledger', () => {
  test('the database refuses to update or delete entries and postings', async () => {
    const { village, households } = await freshVillage()
    await award(t.db, village.id, households[0]!.id, 5)
    expect(await refusal(t.db, 'update ledger_entries set amount = 500')).toMatch(/append-only/)
    expect(await refusal(t.db, 'delete from ledger_postings')).toMatch(/append-only/)
    expect(await refusal(t.db, 'delete from ledger_entries')).toMatch(/append-only/)
  })

  test('verify catches a row edited behind the application, and names it', async () => {
    const { db } = await openMigratedTestDatabase()
    const { village, households } = await freshVillage(db)
    for (const h of households) await award(db, village.id, h.id, 10)
    await award(db, village.id, households[1]!.id, -3)
    expect((await verifyLedger(db, SYSTEM_ACTOR, village.id)).ok).toBe(true)
    // An attacker with the file: drop the guard, change an amount and the balance to match.
    await queryRows(
      db,
      onPostgres ? 'alter table ledger_entries disable trigger user' : 'drop trigger ledger_entries_no_update',
    )
    const target = (await queryOne<{ id: string; seq: number }>(
      db,
      'select id, seq from ledger_entries where village_id = ? order by seq limit 1 offset 1',
      village.id,
    ))!
    await queryRows(db, 'update ledger_entries set memo = ? where id = ?', '改过的', target.id)
    const result = await verifyLedger(db, SYSTEM_ACTOR, village.id)
    expect(result.ok).toBe(false)
    expect(result.firstBad).toMatchObject({ entryId: target.id, seq: target.seq })
  })

  test('verify catches a balance that no longer equals its postings', async () => {
    const { village, households } = await freshVillage()
    await award(t.db, village.id, households[0]!.id, 10)
    await t.db.updateTable('accounts').set({ balance: 99 }).where('id', '=', households[0]!.id).execute()
    const result = await verifyLedger(t.db, SYSTEM_ACTOR, village.id)
    expect(result.ok).toBe(false)
    expect(result.firstBad?.problem).toMatch(/balance/)
    await t.db.updateTable('accounts').set({ balance: 10 }).where('id', '=', households[0]!.id).execute()
  })

  test('annual reset moves positive balances to expired once a year; honour stays', async () => {
    const { village, households } = await freshVillage()
    const [a, b] = households
    await award(t.db, village.id, a!.id, 40)
    await award(t.db, village.id, b!.id, -5)
    const first = await runAnnualReset(t.db, SYSTEM_ACTOR, village.id, 2026)
    expect(first).toMatchObject({ ran: true, households: 1, points: 40 })
    expect((await runAnnualReset(t.db, SYSTEM_ACTOR, village.id, 2026)).ran).toBe(false)
    expect(await balanceOf(t.db, a!.id)).toBe(0)
    expect(await balanceOf(t.db, b!.id)).toBe(-5)
    const row = await t.db.selectFrom('households').select('honour').where('id', '=', a!.id).executeTakeFirstOrThrow()
    expect(row.honour).toBe(40)
    expect((await verifyLedger(t.db, SYSTEM_ACTOR, village.id)).ok).toBe(true)
  })

  test('an entry of zero or fractional points is refused', async () => {
    const { village, households } = await freshVillage()
    await expect(award(t.db, village.id, households[0]!.id, 0)).rejects.toThrow()
    await expect(award(t.db, village.id, households[0]!.id, 1.5)).rejects.toThrow()
    expect((await verifyLedger(t.db, SYSTEM_ACTOR, village.id)).entries).toBe(0)
  })

  test('household statement by month: opening, entries, closing in the village time zone', async () => {
    const { village, households } = await freshVillage()
    const h = households[0]!
    await award(t.db, village.id, h.id, 7)
    await award(t.db, village.id, h.id, 3)
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
      .format(new Date())
      .slice(0, 7)
    const now = await t.api.get(`/api/households/${h.id}/ledger?month=${month}`, t.adminToken)
    expect(now.body).toMatchObject({ openingBalance: 0, closingBalance: 10 })
    expect(now.body.entries.map((e: any) => e.balanceAfter)).toEqual([7, 10])
    const old = await t.api.get(`/api/households/${h.id}/ledger?month=2020-01`, t.adminToken)
    expect(old.body).toMatchObject({ openingBalance: 0, closingBalance: 0, entries: [] })
    expect((await t.api.get(`/api/households/${h.id}/ledger?month=2020-13`, t.adminToken)).status).toBe(400)
  })
})

describe('ledger properties (fast-check)', () => {
  type Op =
    | { op: 'award'; h: number; points: number }
    | { op: 'reverse'; pick: number }
    | { op: 'adjust'; h: number; points: number }
    | { op: 'reset' }

  const opArb: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('award' as const),
        h: fc.nat(4),
        points: fc.integer({ min: -50, max: 100 }).filter((n) => n !== 0),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('adjust' as const),
        h: fc.nat(4),
        points: fc.integer({ min: -20, max: 20 }).filter((n) => n !== 0),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ op: 'reset' as const }) },
  )

  test('random awards, deductions, reversals, adjustments and resets keep every invariant', async () => {
    let year = 2000
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        const { village, households } = await freshVillage(t.db, 5)
        for (const o of ops) {
          if (o.op === 'award') await award(t.db, village.id, households[o.h]!.id, o.points)
          else if (o.op === 'adjust') {
            // Proposed by one, approved by another; one that would go below zero is refused and changes nothing.
            try {
              await approveAdjustment(
                t.db,
                SYSTEM_ACTOR,
                (await proposeAdjustment(t.db, tester, households[o.h]!.id, o.points, '测试')).id,
              )
            } catch (err) {
              if ((err as { code?: string }).code !== 'INSUFFICIENT_POINTS') throw err
            }
          } else if (o.op === 'reset') await runAnnualReset(t.db, SYSTEM_ACTOR, village.id, year++)
          else {
            const entries = await t.db
              .selectFrom('ledger_entries')
              .select('id')
              .where('village_id', '=', village.id)
              .orderBy('seq')
              .execute()
            if (entries.length === 0) continue
            try {
              await reverseEntry(t.db, tester, entries[o.pick % entries.length]!.id, '测试')
            } catch (err) {
              // Reversing a reversal, or an entry twice, is refused; nothing else may fail.
              expect(err).toBeInstanceOf(DomainError)
              expect(['ALREADY_REVERSED', 'INVALID_STATE']).toContain((err as DomainError).code)
            }
          }
        }
        // Every transaction sums to zero.
        const unbalanced = await t.db
          .selectFrom('ledger_postings')
          .select('entry_id')
          .where('village_id', '=', village.id)
          .groupBy('entry_id')
          .having(sql`sum(amount)`, '!=', 0)
          .execute()
        expect(unbalanced).toEqual([])
        // Every balance equals its postings, and the chain verifies.
        const result = await verifyLedger(t.db, SYSTEM_ACTOR, village.id)
        expect(result.ok).toBe(true)
        // The whole village nets to zero, and honour is awards minus deductions net of their reversals.
        const accounts = await t.db
          .selectFrom('accounts')
          .select(['balance'])
          .where('village_id', '=', village.id)
          .execute()
        expect(accounts.reduce((s, a) => s + a.balance, 0)).toBe(0)
        for (const h of households) {
          const rows = await t.db
            .selectFrom('ledger_entries as e')
            .leftJoin('ledger_entries as o', 'o.id', 'e.reverses_id')
            .select(['e.kind', 'e.amount', 'o.kind as original'])
            .where('e.household_id', '=', h.id)
            .execute()
          const honour = rows
            .filter(
              (r) =>
                r.kind === 'award' ||
                r.kind === 'deduction' ||
                (r.kind === 'reversal' && (r.original === 'award' || r.original === 'deduction')),
            )
            .reduce((s, r) => s + r.amount, 0)
          const row = await t.db
            .selectFrom('households')
            .select('honour')
            .where('id', '=', h.id)
            .executeTakeFirstOrThrow()
          expect(row.honour).toBe(honour)
        }
      }),
      { numRuns: 40 },
    )
  })
})

describe('posting time', () => {
  test('never goes backwards when the clock does', async () => {
    const { vi } = await import('vitest')
    const { village, households } = await freshVillage()
    await award(t.db, village.id, households[0]!.id, 5)
    const first = await t.db
      .selectFrom('ledger_entries')
      .select('at')
      .where('village_id', '=', village.id)
      .executeTakeFirstOrThrow()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(Date.parse(first.at) - 3600_000))
    try {
      await award(t.db, village.id, households[1]!.id, 5)
    } finally {
      vi.useRealTimers()
    }
    const rows = await t.db
      .selectFrom('ledger_entries')
      .select(['seq', 'at'])
      .where('village_id', '=', village.id)
      .orderBy('seq')
      .execute()
    expect(rows[1]!.at >= rows[0]!.at).toBe(true)
    expect((await verifyLedger(t.db, SYSTEM_ACTOR, village.id)).ok).toBe(true)
  })
})
