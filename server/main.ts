import cluster from 'node:cluster'
import { readFileSync } from 'node:fs'
import { migrateToLatest, openDatabase } from '../db/database.js'
import { describeDbError, redactUrl } from '../db/errors.js'
import { Replica } from '../db/replica.js'
import { createApp } from './app.js'
import { superviseWorkers } from './cluster.js'
import { loadConfig } from './core/config.js'
import { batchedSink } from './http/request-log.js'
import { AuditLog } from './audit/audit.service.js'
import { bootstrapAdmin, generatePassword, purgeLoginFailures } from './auth/auth.service.js'
import { loadSecrets } from './auth/secrets.js'
import { postDueAwards } from './awards/posting.js'
import { runDueAnnualResets } from './ledger/annual-reset.js'
import { backupDirFor, dailyBackupJob } from './ops/daily-backup.js'
import { registerJob, startScheduler } from './scheduler.js'
import { purgeIdempotencyKeys } from './supermarket/redemptions/idempotency.js'
import { WorkerPool } from './workers/pool.js'
import { createListener } from './tls/listener.js'
import type { SetupSource } from './tls/setup.js'
import { loadTls, renewLocalCertificate, type TlsOptions } from './tls/tls.js'

// Every setting comes from the environment through one checked module: a bad value stops here, named.
const config = loadConfig({ writableDb: true })
const { port, host, dbFile } = config
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version

const tlsOptions: TlsOptions = {
  setting: config.tls,
  host,
  dbFile,
  certFile: config.tlsCert,
  keyFile: config.tlsKey,
  extraNames: config.publicUrl ? [new URL(config.publicUrl).hostname] : [],
}
const tls = await loadTls(tlsOptions)
const setup: SetupSource = { tls, port, publicUrl: config.publicUrl }

const { db, sqlite, close } = openDatabase(dbFile)
try {
  await migrateToLatest(db)
} catch (err) {
  // Most often PostgreSQL is not running or the URL is wrong: say so plainly, without a stack trace.
  console.error(`gongyi: cannot open the database ${redactUrl(dbFile)}: ${describeDbError(err)}`)
  await close().catch(() => {})
  process.exit(1)
}
const given = config.adminPassword
const generated = given ? null : generatePassword()
if (await bootstrapAdmin(db, given ?? generated!, { generated: !given })) {
  // Printed once, on the first start only; never logged again.
  if (generated)
    console.log(
      `\n  首次启动 / first start: user "admin", password "${generated}" — it must be changed at the first login.\n`,
    )
}
// The checkpoint key lives in config.keyDir (beside the SQLite file, or ./data/keys for PostgreSQL), not in the
// database; the primary creates it before any worker starts, so the workers all read the same one.
const secrets = await loadSecrets(db, { keyDir: config.keyDir ?? undefined })
if (config.workers > 1 && cluster.isPrimary) {
  // The database is ready (migrated, admin, secrets): the workers serve, this process only supervises.
  await close()
  await superviseWorkers(config.workers)
}
const audit = new AuditLog(db)
const requestLines = batchedSink((chunk) => process.stdout.write(chunk))
// Exports, verification and roster parsing run on threads with their own read-only connections.
const workers = sqlite && dbFile !== ':memory:' ? new WorkerPool(dbFile, 2) : undefined
// GONGYI_PUBLIC_URL (checked in core/config.ts): cards then carry the villager's /me link.
// GONGYI_DB_REPLICA: month-end and reporting reads go to the hot standby while it keeps up (db/replica.ts).
const replica = config.dbReplica ? new Replica(db, config.dbReplica, config.replicaMaxLagMs) : undefined
const app = createApp(
  { db, secrets, audit, version, workers, replica, publicUrl: config.publicUrl },
  {
    webRoot: './dist/web',
    corsOrigin: config.corsOrigin,
    log: config.requestLog ? requestLines : undefined,
    setup: () => setup,
  },
)
registerJob(postDueAwards)
registerJob(runDueAnnualResets)
// Idempotency keys are an answer cache, not a ledger: old ones are forgotten in the background.
registerJob(async (db) => void (await purgeIdempotencyKeys(db)))
// Failed logins older than the lockout window, and logged-out tokens past their expiry, mean nothing any more.
registerJob(async (db) => void (await purgeLoginFailures(db)))
// The daily file backup is SQLite's; a PostgreSQL installation is backed up with pg_dump / its own tooling
// (and its checkpoint key folder copied with it: README, "The checkpoint key").
if (config.backups && sqlite) {
  registerJob(dailyBackupJob(sqlite, backupDirFor(dbFile, config.backupDir), { keyFile: secrets.checkpointKey.file }))
  // The village CA goes with the backups: a restored PC must keep the certificate the tablets trust.
  if (tls?.files) {
    const { backUpCa } = await import('./tls/local-ca.js')
    backUpCa(tls.files, backupDirFor(dbFile, config.backupDir))
  }
}

const server = createListener(app.fetch, tls)
if (tls?.files) {
  // The local certificate is checked daily: renewed 30 days before it ends, or when the PC's addresses changed.
  let checked = Date.now()
  registerJob(async () => {
    if (Date.now() - checked < 24 * 60 * 60 * 1000) return
    checked = Date.now()
    const renewed = await renewLocalCertificate(tls, tlsOptions)
    if (renewed) {
      server.setCertificate(renewed.key, renewed.cert)
      console.log(JSON.stringify({ level: 'info', msg: 'tls certificate renewed', names: tls.names }))
    }
  })
}
const info = await server.listen(port, host)
workers?.warm()
const scheduler = startScheduler(db)
console.log(
  JSON.stringify({
    level: 'info',
    msg: 'gongyi listening',
    url: `${tls ? 'https' : 'http'}://${info.address}:${info.port}`,
    db: redactUrl(dbFile),
    version,
    ...(config.dbReplica ? { replica: redactUrl(config.dbReplica), replicaMaxLagMs: config.replicaMaxLagMs } : {}),
    ...(tls
      ? {
          tls: tls.files
            ? { ca: tls.files.caCert, caFingerprint: tls.caFingerprint, names: tls.names }
            : 'GONGYI_TLS_CERT',
        }
      : {}),
  }),
)

// Graceful shutdown: stop accepting, let requests in flight finish, flush the audit log, close the database.
let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  console.log(JSON.stringify({ level: 'info', msg: 'shutting down', signal }))
  scheduler.stop()
  const force = setTimeout(() => process.exit(1), 10_000)
  force.unref()
  await server.close()
  requestLines.flush()
  await audit.flush()
  await workers?.close()
  await replica?.close()
  await close()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
