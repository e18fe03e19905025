import { statSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import type { DB } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import { type KeyObject, createPublicKey } from 'node:crypto'
import { SYSTEM_ACTOR } from '../core/actor.js'
import { type Checkpoint, checkCheckpoints } from '../ledger/checkpoint.js'
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
  /** Checkpoints given for villages this file does not have (a village removed, or the wrong file). */
  unknownCheckpoints?: number
}

export interface CheckpointOptions {
  checkpoints?: Checkpoint[]
  /** The installation's public key, to check the checkpoints' signatures; null: not checked. */
  publicKey?: KeyObject | null
}

/**
 * Everything that must hold in a Gongyi database, checked from one read snapshot on this thread: the file's
 * structure, every village's hash chain and balances (verifyLedger), and every product's stock against its
 * moves. checkDatabaseFile does the same work split over worker threads.
 */
export async function checkDatabase(sqlite: SQLite.Database, opts: CheckpointOptions = {}): Promise<DatabaseCheck> {
  const db: DB = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  // A deferred BEGIN on the raw handle: Kysely's queries below run inside it, so a server writing meanwhile
  // (WAL) does not make the sums and the balances disagree by a request.
  sqlite.exec('BEGIN')
  try {
    const jobs: CheckJob[] = [{ kind: 'integrity' }, ...(await villageJobs(db, opts)), { kind: 'stock' }]
    const results: JobResult[] = []
    for (const job of jobs) results.push((await checkJob(sqlite, db, job, false))!)
    return gather(results, await unknownCheckpoints(db, opts))
  } catch (err) {
    return { ok: false, integrity: '', villages: [], stock: [], error: String((err as Error)?.message ?? err) }
  } finally {
    if (sqlite.inTransaction) sqlite.exec('COMMIT')
  }
}

/** A piece per village; with checkpoints, each piece carries its village's and the public key (SPKI PEM: a thread cannot take a KeyObject). */
async function villageJobs(db: DB, opts: CheckpointOptions = {}): Promise<CheckJob[]> {
  const villages = await db.selectFrom('villages').select(['id', 'code', 'name']).orderBy('code').execute()
  if (!opts.checkpoints) return villages.map((v) => ({ kind: 'village', ...v }))
  const given = opts.checkpoints
  const publicKey = opts.publicKey ? (opts.publicKey.export({ type: 'spki', format: 'pem' }) as string) : null
  return villages.map((v) => ({
    kind: 'village',
    ...v,
    checkpoints: given.filter((c) => c.villageId === v.id),
    publicKey,
  }))
}

/** Checkpoints given for villages this file does not have. */
async function unknownCheckpoints(db: DB, opts: CheckpointOptions): Promise<number> {
  if (!opts.checkpoints?.length) return 0
  const known = new Set((await db.selectFrom('villages').select('id').execute()).map((v) => v.id))
  return opts.checkpoints.filter((c) => !known.has(c.villageId)).length
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
export async function checkJob(
  sqlite: SQLite.Database,
  db: DB,
  job: CheckJob,
  ownSnapshot = true,
): Promise<JobResult | undefined> {
  if (ownSnapshot) sqlite.exec('BEGIN')
  try {
    switch (job.kind) {
      case 'integrity': {
        const rows = sqlite.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]
        return {
          kind: 'integrity',
          integrity: rows
            .slice(0, 5)
            .map((r) => r.integrity_check)
            .join('; '),
        }
      }
      case 'stock':
        return { kind: 'stock', stock: await stockMismatches(db) }
      case 'village': {
        const ledger = await verifyLedger(db, SYSTEM_ACTOR, job.id)
        if (job.checkpoints) {
          // As verifyWithCheckpoints (ledger/verify.ts), from the same snapshot as the chain it checks.
          const failed = await checkCheckpoints(
            db,
            job.id,
            job.checkpoints,
            job.publicKey ? createPublicKey(job.publicKey) : null,
          )
          Object.assign(ledger, {
            ok: ledger.ok && failed.length === 0,
            checkpoints: { checked: job.checkpoints.length, failed },
          })
        }
        return { kind: 'village', village: { id: job.id, code: job.code, name: job.name, ledger } }
      }
    }
  } finally {
    if (ownSnapshot && sqlite.inTransaction) sqlite.exec('COMMIT')
  }
}

function gather(results: JobResult[], unknown?: number): DatabaseCheck {
  const result: DatabaseCheck = { ok: false, integrity: '', villages: [], stock: [] }
  for (const r of results) {
    if (r.kind === 'integrity') result.integrity = r.integrity
    else if (r.kind === 'stock') result.stock = r.stock
    else result.villages.push(r.village)
  }
  result.villages.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
  if (unknown !== undefined) result.unknownCheckpoints = unknown
  result.ok =
    result.integrity === 'ok' &&
    result.villages.every((v) => v.ledger.ok) &&
    result.stock.length === 0 &&
    (result.unknownCheckpoints ?? 0) === 0
  return result
}

async function stockMismatches(db: DB) {
  const rows = await db
    .selectFrom('products as p')
    .select([
      'p.id',
      'p.village_id',
      'p.stock',
      sql<number>`coalesce((select sum(m.quantity) from stock_moves m where m.product_id = p.id), 0)`.as('moves'),
    ])
    .execute()
  return rows
    .filter((r) => Number(r.moves) !== r.stock)
    .map((r) => ({ productId: r.id, villageId: r.village_id, stock: r.stock, moves: Number(r.moves) }))
}

/** Files from this size up are checked by two worker threads. */
const PARALLEL_FROM_BYTES = 64 * 1024 * 1024

/**
 * Opens a database file only to read it (no migration, no pragma that writes) and checks it, the pieces
 * spread over `threads` worker threads (each with its own read-only connection): SQLite's integrity check
 * first, as it is the longest, then the villages, each thread taking the next piece when it is free.
 * Checkpoints given go with their village's piece, so a thread checks them too.
 */
export async function checkDatabaseFile(
  file: string,
  opts: CheckpointOptions & { threads?: number } = {},
): Promise<DatabaseCheck> {
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
      return await checkDatabase(sqlite, opts)
    } finally {
      sqlite.close()
    }
  }
  let jobs: CheckJob[]
  let unknown = 0
  try {
    const db: DB = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
    jobs = [{ kind: 'integrity' }, ...(await villageJobs(db, opts)), { kind: 'stock' }]
    unknown = await unknownCheckpoints(db, opts)
  } catch (err) {
    return { ok: false, integrity: '', villages: [], stock: [], error: String((err as Error)?.message ?? err) }
  } finally {
    sqlite.close()
  }
  const pool = new WorkerPool(file, threads)
  try {
    const results = await Promise.all(
      jobs.map((job) => pool.run<(JobResult | undefined)[]>({ kind: 'check-part', jobs: [job] })),
    )
    return gather(
      results.flat().filter((r) => r !== undefined),
      unknown,
    )
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
    const through = l.checkpoints
      ? `, passes through ${l.checkpoints.checked - l.checkpoints.failed.length}/${l.checkpoints.checked} checkpoint(s)`
      : ''
    if (l.ok)
      lines.push(
        `✓ ${v.code} ${v.name}: ${l.entries} ledger entries, chain head ${l.head.slice(0, 16)}…, balances equal postings${through}`,
      )
    else if (l.firstBad === undefined)
      lines.push(`✗ ${v.code} ${v.name}: ${l.entries} ledger entries hang together, but not through every checkpoint`)
    else {
      const where = l.firstBad?.entryId ? `entry ${l.firstBad.entryId} (seq ${l.firstBad.seq})` : 'balances'
      lines.push(`✗ ${v.code} ${v.name}: first bad ${where}: ${l.firstBad?.problem}`)
    }
  }
  for (const v of check.villages) {
    for (const f of v.ledger.checkpoints?.failed ?? []) {
      lines.push(
        `✗ ${v.code} checkpoint seq ${f.checkpoint.seq} head ${f.checkpoint.head.slice(0, 16)}… of ${f.checkpoint.at}: ${f.problem}`,
      )
    }
  }
  if (check.unknownCheckpoints)
    lines.push(`✗ ${check.unknownCheckpoints} checkpoint(s) name a village this database does not have`)
  for (const s of check.stock) lines.push(`✗ product ${s.productId}: stock ${s.stock} ≠ stock moves ${s.moves}`)
  if (check.ok) lines.push(`OK: ${check.villages.length} village(s) verified, stock equals its movements`)
  else lines.push('FAILED: this database does not verify')
  return lines
}
