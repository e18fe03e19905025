/**
 * `npm run backup -- --out FILE [--db FILE]`: an online backup with SQLite's backup API while the server
 * runs, then a check that the copy verifies. The copy is one self-contained file, ready for a USB stick.
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import SQLite from 'better-sqlite3'
import { backupDatabase, fileStamp } from '../ops/backup.js'
import { checkDatabaseFile, describeCheck } from '../ops/check-database.js'
import { loadConfig } from '../core/config.js'

const { values } = parseArgs({ options: { db: { type: 'string' }, out: { type: 'string' } } })
const source = values.db ?? loadConfig().dbFile
const out = values.out ?? join('data', 'backups', `gongyi-manual-${fileStamp(new Date())}.db`)

let db: SQLite.Database
try {
  db = new SQLite(source, { fileMustExist: true })
  db.pragma('busy_timeout = 5000')
} catch (err) {
  console.error(`cannot open ${source}: ${(err as Error).message}`)
  process.exit(1)
}
const started = Date.now()
const { bytes } = await backupDatabase(db, out)
db.close()
console.log(`backup ${source} → ${out} (${(bytes / 1024 / 1024).toFixed(1)} MB, ${Date.now() - started} ms)`)

const check = await checkDatabaseFile(out)
for (const line of describeCheck(check)) console.log(`  ${line}`)
process.exit(check.ok ? 0 : 1)
