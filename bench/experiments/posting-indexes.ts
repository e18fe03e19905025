import { copyFileSync, rmSync } from 'node:fs'
import { openSqlite } from '../../db/database.js'
import type { Role } from '../../shared/schemas/common.js'
import { localDate } from '../../shared/time.js'
import { approveAward, proposeAward } from '../../server/awards/awards.service.js'
import { Random } from '../../scripts/demo/random.js'
import { median } from '../lib/stats.js'

/*
 * What each of the ledger's random-order indexes costs a 10,000-household award posting at county size: posts
 * on a copy of the big village (1,000,000 entries) with all indexes, then without postings_by_account (which
 * no query uses: nothing looks postings up by account), then also without ledger_by_rule_household (needed by
 * the rule limits; dropped here only to attribute its cost). Indexes whose keys arrive in random order
 * (household, account) dirty a page per row, and every dirty page goes to the WAL at commit.
 *
 *   npx tsx bench/experiments/posting-indexes.ts [data/bench/big-village-standard.db]
 */
const source = process.argv[2] ?? 'data/bench/big-village-standard.db'
const file = 'data/bench/work-indexes.db'
rmSync(file, { force: true })
copyFileSync(source, file)
const { db, sqlite, close } = openSqlite(file)
const village = await db.selectFrom('villages').selectAll().orderBy('code').executeTakeFirstOrThrow()
const actor = async (role: 'clerk' | 'approver') => {
  const username = `${village.code.toLowerCase()}-${role}`
  return {
    id: (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id,
    username,
    roles: [role as Role],
    villageId: village.id,
  }
}
const clerk = await actor('clerk')
const approver = await actor('approver')
const rule = await db
  .selectFrom('rules')
  .select('id')
  .where('village_id', '=', village.id)
  .where('code', '=', 'VOL-03')
  .executeTakeFirstOrThrow()
const ids = (await db.selectFrom('households').select('id').where('village_id', '=', village.id).execute()).map(
  (h) => h.id,
)
const rng = new Random('indexes')

async function posts(label: string) {
  const times: number[] = []
  for (let r = 0; r < 4; r++) {
    const award = await proposeAward(db, clerk, village.id, {
      ruleId: rule.id,
      householdIds: rng.sample(ids, 10_000),
      occurredOn: localDate(new Date(), village.timezone),
    })
    const t0 = performance.now()
    await approveAward(db, approver, award.id)
    times.push(performance.now() - t0)
  }
  console.log(JSON.stringify({ indexes: label, postMs: Math.round(median(times)), rounds: times.map(Math.round) }))
}

await posts('all')
sqlite.exec('drop index if exists postings_by_account')
await posts('without postings_by_account')
sqlite.exec('drop index ledger_by_rule_household')
await posts('without postings_by_account and ledger_by_rule_household')
await close()
for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true })
