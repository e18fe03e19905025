import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type SQLite from 'better-sqlite3'
import { backupDatabase, fileStamp, removeDatabaseFiles } from './backup.js'

export const BACKUPS_KEPT = 14
const DAY_MS = 24 * 60 * 60 * 1000
const NAME = /^gongyi-(\d{8})-(\d{6})\.db$/

/** data/backups beside the database file, unless GONGYI_BACKUP_DIR names another place (a second disk). */
export function backupDirFor(dbFile: string, configured: string | undefined): string {
  return configured || join(dirname(dbFile), 'backups')
}

/** The daily backups in a folder, oldest first (their names sort by time). */
export function listBackups(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => NAME.test(f))
      .sort()
  } catch {
    return []
  }
}

function takenAt(name: string): number {
  const [, d, t] = NAME.exec(name)!
  return Date.parse(
    `${d!.slice(0, 4)}-${d!.slice(4, 6)}-${d!.slice(6, 8)}T${t!.slice(0, 2)}:${t!.slice(2, 4)}:${t!.slice(4, 6)}Z`,
  )
}

/**
 * A scheduler job (server/scheduler.ts runs it at start and every minute): when the newest backup is a day
 * old or there is none, takes one on the server's own connection, in slices so the counter keeps answering,
 * then keeps only the newest 14. Counting from the last backup rather than the clock means a PC that is
 * switched off at night still gets one backup a day, whenever it is on.
 */
export function dailyBackupJob(
  sqlite: SQLite.Database,
  dir: string,
  opts: { now?: () => Date; log?: (line: string) => void; keyFile?: string | null } = {},
) {
  const now = opts.now ?? (() => new Date())
  const log = opts.log ?? ((line: string) => console.log(line))
  let running = false
  return async () => {
    if (running) return
    const newest = listBackups(dir).at(-1)
    const at = now()
    if (newest && at.getTime() - takenAt(newest) < DAY_MS) return
    running = true
    try {
      // Leftovers of a backup cut short by a power cut are not backups.
      for (const f of safeList(dir)) if (f.endsWith('.partial')) removeDatabaseFiles(join(dir, f))
      const started = Date.now()
      const { file, bytes } = await backupDatabase(sqlite, join(dir, `gongyi-${fileStamp(at)}.db`), {
        pagesPerStep: 1000,
      })
      const removed = pruneBackups(dir, BACKUPS_KEPT)
      if (opts.keyFile) copyKey(opts.keyFile, dir)
      log(JSON.stringify({ level: 'info', msg: 'daily backup', file, bytes, ms: Date.now() - started, removed }))
    } catch (err) {
      log(JSON.stringify({ level: 'error', msg: 'daily backup failed', error: String(err) }))
    } finally {
      running = false
    }
  }
}

/** Deletes all but the newest `keep` daily backups; returns the names removed. */
export function pruneBackups(dir: string, keep: number): string[] {
  const all = listBackups(dir)
  const old = all.slice(0, Math.max(0, all.length - keep))
  for (const name of old) rmSync(join(dir, name))
  return old
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

/**
 * The checkpoint signing key is not in the database (a copy of the file must not carry it), so the backup
 * folder gets its own copy in `keys/`, owner-only: without it, checkpoints signed after a restore would
 * carry a new key that the township's earlier checkpoints do not know.
 */
export function copyKey(keyFile: string, backupDir: string) {
  if (!existsSync(keyFile)) return
  const keys = join(backupDir, 'keys')
  mkdirSync(keys, { recursive: true, mode: 0o700 })
  const target = join(keys, basename(keyFile))
  if (!existsSync(target)) copyFileSync(keyFile, target)
  chmodSync(target, 0o600)
  for (const f of safeList(dirname(keyFile))) {
    if (f.endsWith('.pub.pem') && !existsSync(join(keys, f))) copyFileSync(join(dirname(keyFile), f), join(keys, f))
  }
}
