import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'

/** Copy every page in one step: a copy made from another process must not restart on every write the server makes. */
const ALL_PAGES = 0x7fffffff

/**
 * An online backup with SQLite's backup API, safe while the server writes: the copy is one consistent
 * snapshot. It is written beside the target and renamed into place, so a half-written file never looks like
 * a backup, and it is left in rollback-journal mode: one self-contained file to copy onto a USB stick.
 *
 * `pagesPerStep` copies in slices so the server keeps answering during a backup taken on its own connection
 * (where its own writes are carried into the copy as it goes); from another process, leave it unset.
 */
export async function backupDatabase(source: SQLite.Database, outFile: string, opts: { pagesPerStep?: number } = {}) {
  mkdirSync(dirname(outFile), { recursive: true })
  const partial = `${outFile}.partial`
  removeDatabaseFiles(partial)
  try {
    await source.backup(partial, { progress: () => opts.pagesPerStep ?? ALL_PAGES })
    const copy = new SQLite(partial)
    try {
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    renameSync(partial, outFile)
  } catch (err) {
    removeDatabaseFiles(partial)
    throw err
  }
  return { file: outFile, bytes: statSync(outFile).size }
}

/** A database file and the -wal and -shm files SQLite may keep beside it. */
export function removeDatabaseFiles(file: string) {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) if (existsSync(f)) rmSync(f)
}

/** A UTC time stamp that sorts as text and is safe in a file name on Windows: 20240501-031500. */
export function fileStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}
