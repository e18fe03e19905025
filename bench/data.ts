import { existsSync, rmSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { migrateToLatest, openSqlite } from '../db/database.js'
import { generate } from '../scripts/demo/generate.js'
import { progressBar } from '../scripts/demo/progress.js'
import { BENCH_ADMIN_PASSWORD, BENCH_PASSWORD } from './lib/credentials.js'

/*
 * npm run bench:data -- --villages 120 --households 52000 --months 12 --out data/bench.db
 *
 * Writes a county-sized database through the services (see scripts/demo/generate.ts). The file is replaced.
 * Staff of village BX001 log in as bx001-clerk, bx001-approver, bx001-cashier, bx001-auditor with the
 * password BENCH_PASSWORD (lib/credentials.ts); `admin` has BENCH_ADMIN_PASSWORD.
 */

const { values } = parseArgs({
  options: {
    villages: { type: 'string', default: '120' },
    households: { type: 'string', default: '52000' },
    months: { type: 'string', default: '12' },
    'this-month': { type: 'boolean', default: false },
    'extra-rounds': { type: 'string', default: '0' },
    'redemption-rate': { type: 'string' },
    'notice-days': { type: 'string', default: 'mixed' },
    prefix: { type: 'string', default: 'BX' },
    seed: { type: 'string', default: 'gongyi' },
    out: { type: 'string', default: 'data/bench.db' },
    json: { type: 'boolean', default: false },
  },
})

const int = (name: string, s: string) => {
  const n = Number(s)
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not ${s}`)
  return n
}

const out = values.out
for (const suffix of ['', '-wal', '-shm']) if (existsSync(out + suffix)) rmSync(out + suffix)
const { db, sqlite, close } = openSqlite(out)
// A generated file needs no power-cut safety while it is written: one fsync at the end instead of one per day.
sqlite.pragma('synchronous = OFF')
await migrateToLatest(db)
const result = await generate(db, {
  seed: values.seed,
  villages: int('villages', values.villages),
  households: int('households', values.households),
  months: int('months', values.months),
  thisMonth: values['this-month'],
  codePrefix: values.prefix,
  noticeDays: values['notice-days'] === 'mixed' ? 'mixed' : int('notice-days', values['notice-days']),
  staffPassword: BENCH_PASSWORD,
  adminPassword: BENCH_ADMIN_PASSWORD,
  cards: 'rows',
  extraRounds: int('extra-rounds', values['extra-rounds']),
  ...(values['redemption-rate'] ? { redemptionRate: Number(values['redemption-rate']) } : {}),
  progress: (label, total) => progressBar(label, total),
})
sqlite.pragma('wal_checkpoint(TRUNCATE)')
sqlite.pragma('synchronous = FULL')
await close()

if (values.json) console.log(JSON.stringify({ out, ...result, villages: result.villages.length }))
else {
  const c = result.counts
  console.log(
    `${out}: ${result.villages.length} village${result.villages.length === 1 ? '' : 's'}, ${c.households} households (${c.members} members), ${c.entries} ledger entries, ` +
      `${c.awards} awards, ${c.redemptions} redemptions, ${c.stockReceipts} stock receipts; ${result.firstDay} … ${result.lastDay}; ${result.seconds.toFixed(0)} s`,
  )
  console.log(`refused by the services (as a real counter would be): ${JSON.stringify(result.stats.refused)}`)
}
