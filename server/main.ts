import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { migrateToLatest, openDatabase } from '../db/database.js'
import { describeDbError, redactUrl } from '../db/errors.js'
import { createApp } from './app.js'
import { isClusterPrimary, superviseWorkers, workerCount } from './cluster.js'
import { batchedSink } from './http/request-log.js'
import { AuditLog } from './audit/audit.service.js'
import { bootstrapAdmin } from './auth/auth.service.js'
import { generatePassword } from './auth/passwords.js'
import { loadSecrets } from './auth/secrets.js'
import { postDueAwards } from './awards/posting.js'
import { runDueAnnualResets } from './ledger/annual-reset.js'
import { backupDirFor, dailyBackupJob } from './ops/daily-backup.js'
import { registerJob, startScheduler } from './scheduler.js'
import { purgeIdempotencyKeys } from './supermarket/idempotency.js'

const port = Number(process.env.PORT ?? 8080)
const host = process.env.HOST ?? '127.0.0.1'
const dbFile = process.env.GONGYI_DB ?? './data/gongyi.db'
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

const { db, sqlite, close } = openDatabase(dbFile)
try {
  await migrateToLatest(db)
} catch (err) {
  // Most often PostgreSQL is not running or the URL is wrong: say so plainly, without a stack trace.
  console.error(`gongyi: cannot open the database ${redactUrl(dbFile)}: ${describeDbError(err)}`)
  await close().catch(() => {})
  process.exit(1)
}
const given = process.env.GONGYI_ADMIN_PASSWORD
const generated = given ? null : generatePassword()
if (await bootstrapAdmin(db, given ?? generated!)) {
  // Printed once, on the first start only; never logged again.
  if (generated) console.log(`\n  首次启动 / first start: user "admin", password "${generated}" — change it after logging in.\n`)
}
const secrets = await loadSecrets(db)
const workers = workerCount(process.env.GONGYI_WORKERS)
if (workers > 1 && isClusterPrimary()) {
  if (!sqlite) {
    // The database is ready (migrated, admin, secrets): the workers serve, this process only supervises.
    await close()
    await superviseWorkers(workers)
  }
  console.error('gongyi: GONGYI_WORKERS needs PostgreSQL (GONGYI_DB=postgres://…); SQLite is served by one process')
  process.exit(1)
}
const audit = new AuditLog(db)
const requestLines = batchedSink((chunk) => process.stdout.write(chunk))
const app = createApp({ db, secrets, audit, version }, {
  webRoot: './dist/web',
  corsOrigin: process.env.GONGYI_CORS_ORIGIN,
  log: process.env.GONGYI_REQUEST_LOG === 'off' ? undefined : requestLines,
})
registerJob(postDueAwards)
registerJob(runDueAnnualResets)
// Idempotency keys are an answer cache, not a ledger: old ones are forgotten in the background.
registerJob(async (db) => void (await purgeIdempotencyKeys(db)))
// The daily file backup is SQLite's; a PostgreSQL installation is backed up with pg_dump / its own tooling.
if (sqlite && process.env.GONGYI_BACKUPS !== 'off') registerJob(dailyBackupJob(sqlite, backupDirFor(dbFile)))
const scheduler = startScheduler(db)

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  console.log(JSON.stringify({ level: 'info', msg: 'gongyi listening', url: `http://${info.address}:${info.port}`, db: redactUrl(dbFile), version }))
})

// Graceful shutdown: stop accepting, let requests in flight finish, flush the audit log, close the database.
let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  console.log(JSON.stringify({ level: 'info', msg: 'shutting down', signal }))
  scheduler.stop()
  const force = setTimeout(() => process.exit(1), 10_000)
  force.unref()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  requestLines.flush()
  await audit.flush()
  await close()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
