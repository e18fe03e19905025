import { afterEach, describe, expect, it } from 'vitest'
import { migrateToLatest, type OpenedDatabase } from '../../db/database.js'
import { SYSTEM_ACTOR } from '../../server/core/actor.js'
import { verifyLedger } from '../../server/ledger/verify.js'
import { tagCounts } from '../../server/tags/tags.service.js'
import { openTestDatabase } from '../../test/db.js'
import { generate } from './generate.js'
import { addVillagePractice } from './practice.js'
import { Random } from './random.js'

const opened: OpenedDatabase[] = []
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close()
})

describe('the demo village shows issue 18', () => {
  it('categories in believable numbers, party members, relief to every 低保 household; the ledger untouched', async () => {
    const o = await openTestDatabase()
    opened.push(o)
    await migrateToLatest(o.db)
    const result = await generate(o.db, {
      seed: 'practice',
      villages: 1,
      households: 240,
      months: 1,
      staffPassword: 'password-test',
      end: new Date('2026-03-10T04:00:00Z'),
    })
    const v = result.villages[0]!
    const before = await verifyLedger(o.db, SYSTEM_ACTOR, v.id)
    const done = await addVillagePractice(o.db, v.id, new Random('practice'))
    const counts = await tagCounts(o.db, SYSTEM_ACTOR, v.id)
    const by = Object.fromEntries(counts.items.map((i) => [i.tag, i.households]))
    expect(by['低保']).toBeGreaterThanOrEqual(5)
    expect(by['低保']).toBeLessThanOrEqual(25)
    expect(by['留守老人']).toBeGreaterThan(by['零就业']!)
    expect(counts.partyMembers).toBe(done.partyMembers)
    expect(done.relief).toBeGreaterThanOrEqual(1)
    const shares = await o.db
      .selectFrom('relief_shares as s')
      .innerJoin('household_tags as t', (j) =>
        j.onRef('t.household_id', '=', 's.household_id').on('t.tag', '=', '低保'),
      )
      .select('s.household_id')
      .distinct()
      .where('s.village_id', '=', v.id)
      .execute()
    expect(shares).toHaveLength(by['低保']!)
    const after = await verifyLedger(o.db, SYSTEM_ACTOR, v.id)
    expect([after.ok, after.entries]).toEqual([true, before.entries]) // relief moves goods, never points
  })
})
