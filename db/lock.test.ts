import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { onPostgres, openMigratedTestDatabase, type TestDatabase } from '../test/db.js'
import { lockVillage } from './database.js'

let t: TestDatabase
beforeAll(async () => {
  t = await openMigratedTestDatabase()
})
afterAll(() => t?.close())

const settledWithin = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))])

test('lockVillage refuses to run outside a transaction (the lock would end at once)', async () => {
  await expect(lockVillage(t.db, 'v1')).rejects.toThrow(/inside a transaction/)
})

// PostgreSQL only: on SQLite the lock is BEGIN IMMEDIATE itself, one writer for the whole file.
describe.skipIf(!onPostgres)('the per-village lock on PostgreSQL', () => {
  test("a village's second writer waits for the first; another village's writer does not", async () => {
    let releaseA!: () => void
    const holdingA = new Promise<void>((r) => (releaseA = r))
    let aLocked!: () => void
    const aIsLocked = new Promise<void>((r) => (aLocked = r))
    const first = t.db.transaction().execute(async (trx) => {
      await lockVillage(trx, 'village-A')
      aLocked()
      await holdingA
    })
    await aIsLocked
    const order: string[] = []
    const secondA = t.db.transaction().execute(async (trx) => {
      await lockVillage(trx, 'village-A')
      order.push('second A')
    })
    const otherB = t.db.transaction().execute(async (trx) => {
      await lockVillage(trx, 'village-B')
      await lockVillage(trx, 'village-B') // taking it twice in one transaction is harmless
      order.push('B')
    })
    expect(await settledWithin(otherB, 5_000)).toBe(true)
    expect(await settledWithin(secondA, 300)).toBe(false)
    releaseA()
    await first
    await secondA
    expect(order).toEqual(['B', 'second A'])
  })
})
