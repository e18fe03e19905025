import { sql } from 'kysely'
import { type DB, dialectOf } from '../db/database.js'

/** Background jobs that must happen on time even if nobody clicks: each is idempotent, run at start and every minute. */
export type Job = (db: DB) => Promise<void>

const jobs: Job[] = []

export function registerJob(job: Job) {
  jobs.push(job)
}

/*
 * With several server processes on one PostgreSQL database (GONGYI_WORKERS), exactly one of them runs a tick:
 * it holds a session advisory lock while the jobs run, the others find it taken and skip that minute. The
 * jobs are idempotent and lock each village, so this is about not doing the work N times, not correctness.
 * On SQLite there is one process per file (or the file's write lock serialises them): nothing to take.
 */
const SCHEDULER_LOCK = [0x6779, 1] as const // ('gy', 1): a two-key advisory lock, apart from lockVillage's keys

async function withSchedulerLock(db: DB, fn: () => Promise<void>): Promise<boolean> {
  if (dialectOf(db) !== 'postgres') {
    await fn()
    return true
  }
  // A session lock lives on one connection: hold a connection for the tick.
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{
      ok: boolean
    }>`select pg_try_advisory_lock(${SCHEDULER_LOCK[0]}, ${SCHEDULER_LOCK[1]}) as ok`.execute(conn)
    if (!rows[0]?.ok) return false
    try {
      await fn()
    } finally {
      await sql`select pg_advisory_unlock(${SCHEDULER_LOCK[0]}, ${SCHEDULER_LOCK[1]})`.execute(conn)
    }
    return true
  })
}

/** Runs every job once; false when another process holds the tick (PostgreSQL). */
export async function runJobs(db: DB): Promise<boolean> {
  try {
    return await withSchedulerLock(db, async () => {
      for (const job of jobs) {
        try {
          await job(db)
        } catch (err) {
          console.error(JSON.stringify({ level: 'error', msg: 'scheduled job failed', error: String(err) }))
        }
      }
    })
  } catch (err) {
    // The database is away (a restart): the next tick tries again.
    console.error(JSON.stringify({ level: 'error', msg: 'scheduler tick failed', error: String(err) }))
    return false
  }
}

export function startScheduler(db: DB, everyMs = 60_000) {
  void runJobs(db)
  const timer = setInterval(() => void runJobs(db), everyMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
