import { statSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import type { DB } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import { SYSTEM_ACTOR } from '../core/actor.js'
import { type VerifyResult, verifyLedger } from '../ledger/verify.js'
import { WorkerPool } from '../workers/pool.js'
import type { CheckJob } from '../workers/protocol.js'

export interface DatabaseCheck {
  ok: boolean
  /** SQLite's own `PRAGMA integrity_check`: 'ok' or its first complaints. */
  integrity: string
  villages: { id: string; code: string; name: string; ledger: VerifyResult }[]
  /** Products whose stock is not the sum of their stock moves. */
  stock: { productId: string; villageId: string; stock: number; moves: number }[]
  /** Why the file could not be checked at all (not a Gongyi database, unreadable). */
  error?: string
}

/**
 * Everything that must hold in a Gongyi database, checked from one read snapshot on this thread: the file's
 * structure, every village's hash chain and balances (verifyLedger), and every product's stock against its
 * moves. checkDatabaseFile does the same work split over worker threads.
 */
export async function checkDatabase(sqlite: SQLite.Database): Promise<DatabaseCheck> {
  const db: DB = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  // A deferred BEGIN on the raw handle: Kysely's queries below run inside it, so a server writing meanwhile
  // (WAL) does not make the sums and the balances disagree by a request.
  sqlite.exec('BEGIN')
  try {
    const jobs: CheckJob[] = [{ kind: 'integrity' }, ...(await villageJobs(db)), { kind: 'stock' }]
    const results: JobResult[] = []
    for (const job of jobs) results.push((await checkJob(sqlite, db, job, false))!)
    return gather(results)
  } catch (err) {
    return { ok: false, integrity: '', villages: [], stock: [], error: String((err as Error)?.message ?? err) }
  } finally {
    if (sqlite.inTransaction) sqlite.exec('COMMIT')
  }
}

async function villageJobs(db: DB): Promise<CheckJob[]> {
  const villages = await db.selectFrom('villages').select(['id', 'code', 'name']).orderBy('code').execute()
  return villages.map((v) => ({ kind: 'village', ...v }))
}

export type JobResult =
  | { kind: 'integrity'; integrity: string }
  | { kind: 'stock'; stock: DatabaseCheck['stock'] }
  | { kind: 'village'; village: DatabaseCheck['villages'][number] }

/**
 * One piece of the check. `ownSnapshot`: in its own read transaction (a worker's job; a village's chain, its
 * balances and its postings are always read from one snapshot, and no transaction spans two villages, so a
 * village checked a moment after another is as consistent as one checked with it).
 */
export async function checkJob(sqlite: SQLite.Database, db: DB, job: CheckJob, ownSnapshot = true): Promise<JobResult | undefined> {
  if (ownSnapshot) sqlite.exec('BEGIN')
  try {
    switch (job.kind) {
      case 'integrity': {
        const rows = sqlite.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]
        return { kind: 'integrity', integrity: rows.slice(0, 5).map((r) => r.integrity_check).join('; ') }
      }
      case 'stock':
        return { kind: 'stock', stock: await stockMismatches(db) }
      case 'village':
        return { kind: 'village', village: { id: job.id, code: job.code, name: job.name, ledger: await verifyLedger(db, SYSTEM_ACTOR, job.id) } }
    }
  } finally {
    if (ownSnapshot && sqlite.inTransaction) sqlite.exec('COMMIT')
  }
}

function gather(results: JobResult[]): DatabaseCheck {
  const result: DatabaseCheck = { ok: false, integrity: '', villages: [], stock: [] }
  for (const r of results) {
    if (r.kind === 'integrity') result.integrity = r.integrity
    else if (r.kind === 'stock') result.stock = r.stock
    else result.villages.push(r.village)
  }
  result.villages.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
  result.ok = result.integrity === 'ok' && result.villages.every((v) => v.ledger.ok) && result.stock.length === 0
  return result
}

async function stockMismatches(db: DB) {
  const rows = await db
    .selectFrom('products as p')
    .select(['p.id', 'p.village_id', 'p.stock', sql<number>`coalesce((select sum(m.quantity) from stock_moves m where m.product_id = p.id), 0)`.as('moves')])
    .execute()
  return rows.filter((r) => Number(r.moves) !== r.stock).map((r) => ({ productId: r.id, villageId: r.village_id, stock: r.stock, moves: Number(r.moves) }))
}

/** Files from this size up are checked by two worker threads. */
const PARALLEL_FROM_BYTES = 64 * 1024 * 1024

/**
 * Opens a database file only to read it (no migration, no pragma that writes) and checks it, the pieces
 * spread over `threads` worker threads (each with its own read-only connection): SQLite's integrity check
 * first, as it is the longest, then the villages, each thread taking the next piece when it is free.
 */
export async function checkDatabaseFile(file: string, opts: { threads?: number } = {}): Promise<DatabaseCheck> {
  let sqlite: SQLite.Database
  try {
    sqlite = new SQLite(file, { fileMustExist: true })
    sqlite.pragma('busy_timeout = 5000')
  } catch (err) {
    return { ok: false, integrity: '', villages: [], stock: [], error: String((err as Error)?.message ?? err) }
  }
  // Starting a thread costs a second or so (tsx compiles its modules): worth it only for a sizeable file.
  const threads = opts.threads ?? (statSync(file).size >= PARALLEL_FROM_BYTES ? 2 : 0)
  if (threads < 1) {
    try {
      return await checkDatabase(sqlite)
    } finally {
      sqlite.close()
    }
  }
  let jobs: CheckJob[]
  try {
    const db: DB = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
    jobs = [{ kind: 'integrity' }, ...(await villageJobs(db)), { kind: 'stock' }]
  } catch (err) {
    return { ok: false, integrity: '', villages: [], stock: [], error: String((err as Error)?.message ?? err) }
  } finally {
    sqlite.close()
  }
  const pool = new WorkerPool(file, threads)
  try {
    const results = await Promise.all(jobs.map((job) => pool.run<(JobResult | undefined)[]>({ kind: 'check-part', jobs: [job] })))
    return gather(results.flat().filter((r) => r !== undefined))
  } catch (err) {
    return { ok: false, integrity: '', villages: [], stock: [], error: String((err as Error)?.message ?? err) }
  } finally {
    await pool.close()
  }
}

/** The check as lines a village clerk or a technician can read; the first bad entry is named. */
export function describeCheck(check: DatabaseCheck): string[] {
  const lines: string[] = []
  if (check.error) lines.push(`✗ cannot read the database: ${check.error}`)
  if (check.integrity && check.integrity !== 'ok') lines.push(`✗ SQLite integrity check: ${check.integrity}`)
  for (const v of check.villages) {
    const l = v.ledger
    if (l.ok) lines.push(`✓ ${v.code} ${v.name}: ${l.entries} ledger entries, chain head ${l.head.slice(0, 16)}…, balances equal postings`)
    else {
      const where = l.firstBad?.entryId ? `entry ${l.firstBad.entryId} (seq ${l.firstBad.seq})` : 'balances'
      lines.push(`✗ ${v.code} ${v.name}: first bad ${where}: ${l.firstBad?.problem}`)
    }
  }
  for (const s of check.stock) lines.push(`✗ product ${s.productId}: stock ${s.stock} ≠ stock moves ${s.moves}`)
  if (check.ok) lines.push(`OK: ${check.villages.length} village(s) verified, stock equals its movements`)
  else lines.push('FAILED: this database does not verify')
  return lines
}
