import { readFileSync } from 'node:fs'
import { migrateToLatest, openDatabase } from '../db/database.js'
import { createApp } from './app.js'
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
import { createListener } from './tls/listener.js'
import type { SetupSource } from './tls/setup.js'
import { loadTls, renewLocalCertificate, type TlsOptions, type TlsSetting } from './tls/tls.js'

const port = Number(process.env.PORT ?? 8080)
const host = process.env.HOST ?? '127.0.0.1'
const dbFile = process.env.GONGYI_DB ?? './data/gongyi.db'
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

const tlsSetting = (process.env.GONGYI_TLS ?? 'auto').toLowerCase()
if (!['on', 'off', 'auto'].includes(tlsSetting)) throw new Error(`GONGYI_TLS is on, off or auto, not "${tlsSetting}"`)
const tlsOptions: TlsOptions = {
  setting: tlsSetting as TlsSetting,
  host,
  dbFile,
  certFile: process.env.GONGYI_TLS_CERT || undefined,
  keyFile: process.env.GONGYI_TLS_KEY || undefined,
  extraNames: process.env.GONGYI_PUBLIC_URL ? [new URL(process.env.GONGYI_PUBLIC_URL).hostname] : [],
}
const tls = await loadTls(tlsOptions)
const setup: SetupSource = { tls, port, publicUrl: process.env.GONGYI_PUBLIC_URL || undefined }

const { db, sqlite, close } = openDatabase(dbFile)
await migrateToLatest(db)
const given = process.env.GONGYI_ADMIN_PASSWORD
const generated = given ? null : generatePassword()
if (await bootstrapAdmin(db, given ?? generated!)) {
  // Printed once, on the first start only; never logged again.
  if (generated) console.log(`\n  首次启动 / first start: user "admin", password "${generated}" — change it after logging in.\n`)
}
const secrets = await loadSecrets(db)
const audit = new AuditLog(db)
const requestLines = batchedSink((chunk) => process.stdout.write(chunk))
const app = createApp({ db, secrets, audit, version }, {
  webRoot: './dist/web',
  corsOrigin: process.env.GONGYI_CORS_ORIGIN,
  log: process.env.GONGYI_REQUEST_LOG === 'off' ? undefined : requestLines,
  setup: () => setup,
})
registerJob(postDueAwards)
registerJob(runDueAnnualResets)
// Idempotency keys are an answer cache, not a ledger: old ones are forgotten in the background.
registerJob(async (db) => void (await purgeIdempotencyKeys(db)))
if (process.env.GONGYI_BACKUPS !== 'off') {
  registerJob(dailyBackupJob(sqlite, backupDirFor(dbFile)))
  // The village CA goes with the backups: a restored PC must keep the certificate the tablets trust.
  if (tls?.files) {
    const { backUpCa } = await import('./tls/local-ca.js')
    backUpCa(tls.files, backupDirFor(dbFile))
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
const scheduler = startScheduler(db)
console.log(JSON.stringify({
  level: 'info', msg: 'gongyi listening', url: `${tls ? 'https' : 'http'}://${info.address}:${info.port}`, db: dbFile, version,
  ...(tls ? { tls: tls.files ? { ca: tls.files.caCert, caFingerprint: tls.caFingerprint, names: tls.names } : 'GONGYI_TLS_CERT' } : {}),
}))

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
  await close()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
