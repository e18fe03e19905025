/**
 * `npm run restore -- FILE [--db TARGET]`: puts a backup back as the live database, only if the backup
 * verifies (every village's chain and balances, stock, SQLite's integrity check). The database it replaces
 * is first copied to TARGET.before-restore-<time>, so a restore can itself be undone. Stop the server first.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import SQLite from 'better-sqlite3'
import { backupDatabase, fileStamp } from '../ops/backup.js'
import { checkDatabaseFile, describeCheck } from '../ops/check-database.js'
import { loadConfig } from '../core/config.js'

const { values, positionals } = parseArgs({ options: { db: { type: 'string' } }, allowPositionals: true })
const backup = positionals[0]
const target = values.db ?? loadConfig().dbFile
if (!backup || positionals.length > 1) {
  console.error('usage: npm run restore -- BACKUP_FILE [--db TARGET]')
  process.exit(2)
}

const check = await checkDatabaseFile(backup)
console.log(`checking ${backup}`)
for (const line of describeCheck(check)) console.log(`  ${line}`)
if (!check.ok) {
  console.error(`refusing to restore ${backup}: it does not verify; ${target} is unchanged`)
  process.exit(1)
}

if (existsSync(target)) {
  const current = new SQLite(target, { fileMustExist: true })
  current.pragma('busy_timeout = 5000')
  const kept = `${target}.before-restore-${fileStamp(new Date())}`
  await backupDatabase(current, kept)
  current.close()
  console.log(`the database being replaced is kept as ${kept}`)
}

// The backup API writes into the target through SQLite's own locking, whatever journal mode it is in.
mkdirSync(dirname(target), { recursive: true })
const source = new SQLite(backup, { readonly: true, fileMustExist: true })
await source.backup(target, { progress: () => 0x7fffffff })
source.close()
const restored = new SQLite(target)
restored.pragma('journal_mode = WAL')
restored.pragma('wal_checkpoint(TRUNCATE)')
restored.close()

const after = await checkDatabaseFile(target)
if (!after.ok) {
  console.error(`restored, but ${target} does not verify:`)
  for (const line of describeCheck(after)) console.error(`  ${line}`)
  process.exit(1)
}
console.log(`restored ${backup} → ${target}: ${after.villages.length} village(s) verified`)
