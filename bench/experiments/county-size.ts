import SQLite from 'better-sqlite3'
import { openDatabase } from '../../db/database.js'
import { SYSTEM_ACTOR } from '../../server/core/actor.js'
import { verifyLedger } from '../../server/ledger/verify.js'

/*
 * What a generated county database holds and costs: rows, bytes per ledger entry (tables and indexes, from
 * SQLite's dbstat), entries per household per month, and how long the whole chain takes to verify.
 *
 *   npx tsx bench/experiments/county-size.ts data/bench.db
 */
const file = process.argv[2] ?? 'data/bench.db'
const raw = new SQLite(file, { readonly: true })
const count = (t: string) => (raw.prepare(`select count(*) n from ${t}`).get() as { n: number }).n
const bytes = raw.prepare('select name, sum(pgsize) b from dbstat group by name order by b desc').all() as {
  name: string
  b: number
}[]
const total = bytes.reduce((s, r) => s + r.b, 0)
const entries = count('ledger_entries')
const households = count('households')
const span = raw.prepare('select min(at) a, max(at) b from ledger_entries').get() as { a: string; b: string }
const months = (Date.parse(span.b) - Date.parse(span.a)) / (30.44 * 86_400_000)
const ledgerBytes = bytes.filter((r) => /ledger|posting/.test(r.name)).reduce((s, r) => s + r.b, 0)
console.log(
  JSON.stringify({
    file,
    megabytes: Math.round(total / 1e6),
    villages: count('villages'),
    households,
    members: count('household_members'),
    entries,
    redemptions: count('redemptions'),
    awards: count('awards'),
    months: +months.toFixed(1),
    entriesPerHouseholdMonth: +(entries / households / months).toFixed(2),
    bytesPerEntryAllTables: Math.round(total / entries),
    bytesPerEntryLedgerOnly: Math.round(ledgerBytes / entries),
    largest: bytes.slice(0, 8).map((r) => `${r.name} ${Math.round(r.b / 1e6)} MB`),
  }),
)
raw.close()
const { db, close } = openDatabase(file)
const villages = await db.selectFrom('villages').select(['id', 'code']).orderBy('code').execute()
const started = performance.now()
let checked = 0
for (const v of villages) {
  const r = await verifyLedger(db, SYSTEM_ACTOR, v.id)
  if (!r.ok) throw new Error(`${v.code} does not verify: ${JSON.stringify(r.firstBad)}`)
  checked += r.entries
}
const seconds = (performance.now() - started) / 1000
console.log(
  JSON.stringify({ verified: checked, seconds: +seconds.toFixed(1), entriesPerSecond: Math.round(checked / seconds) }),
)
await close()
