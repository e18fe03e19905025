/*
 * npm run db:copy -- --from data/gongyi.db --to postgres://user:pw@host:5432/gongyi
 * Copies a SQLite installation into an empty PostgreSQL database (the database must exist), then checks that
 * every village's hash chain verifies there with the same head as in the file. Exit 0 only when all do.
 * The progress bar is a hand-written line on stderr: one table at a time needs no library.
 */
import { parseArgs } from 'node:util'
import { copyDatabase } from '../../db/copy.js'
import { openDatabase, openSqlite } from '../../db/database.js'
import { describeDbError, redactUrl } from '../../db/errors.js'
import { verifyLedger } from '../ledger/verify.js'
import { SYSTEM_ACTOR } from '../core/actor.js'

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } })
if (!values.from || !values.to) {
  console.error('usage: npm run db:copy -- --from data/gongyi.db --to postgres://user:password@host:5432/database')
  process.exit(2)
}

function bar(table: string, done: number, total: number) {
  const width = 30
  const filled = total === 0 ? width : Math.round((done / total) * width)
  process.stderr.write(
    `\r${table.padEnd(18)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')}   `,
  )
  if (done === total) process.stderr.write('\n')
}

const from = openSqlite(values.from)
const to = openDatabase(values.to)
let failed = false
try {
  const copied = await copyDatabase(from, to, bar)
  console.log(
    `copied ${Object.values(copied)
      .reduce((a, b) => a + b, 0)
      .toLocaleString('en')} rows into ${redactUrl(values.to)}`,
  )
  const villages = await from.db.selectFrom('villages').select(['id', 'code']).orderBy('code').execute()
  for (const v of villages) {
    const [a, b] = await Promise.all([
      verifyLedger(from.db, SYSTEM_ACTOR, v.id),
      verifyLedger(to.db, SYSTEM_ACTOR, v.id),
    ])
    const same = a.ok && b.ok && a.head === b.head && a.entries === b.entries
    if (!same) failed = true
    console.log(
      `${same ? '✓' : '✗'} ${v.code}: ${b.entries} entries, chain head ${b.head.slice(0, 16)}… ${same ? 'verifies, same head' : `DIFFERS (file ${a.head.slice(0, 16)}…, ok ${a.ok}; copy ok ${b.ok})`}`,
    )
  }
} catch (err) {
  failed = true
  console.error(`\ndb:copy failed, nothing was copied: ${describeDbError(err)}`)
} finally {
  await from.close()
  await to.close()
}
process.exit(failed ? 1 : 0)
