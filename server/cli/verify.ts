/**
 * `npm run verify -- --db FILE`: recomputes every village's hash chain and balances (and every product's
 * stock) from the database file, prints what it found, and exits 1 naming the first bad entry when anything
 * does not match. Read-only: safe while the server runs.
 */
import { parseArgs } from 'node:util'
import { checkDatabaseFile, describeCheck } from '../ops/check-database.js'
import { loadConfig } from '../core/config.js'

const { values } = parseArgs({ options: { db: { type: 'string' }, json: { type: 'boolean' } } })
const file = values.db ?? loadConfig().dbFile

const check = await checkDatabaseFile(file)
if (values.json) console.log(JSON.stringify(check, null, 2))
else {
  console.log(`verify ${file}`)
  for (const line of describeCheck(check)) console.log(`  ${line}`)
}
process.exit(check.ok ? 0 : 1)
