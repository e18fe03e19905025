import type { DB } from '../db/database.js'

/** Background jobs that must happen on time even if nobody clicks: each is idempotent, run at start and every minute. */
export type Job = (db: DB) => Promise<void>

const jobs: Job[] = []

export function registerJob(job: Job) {
  jobs.push(job)
}

export async function runJobs(db: DB) {
  for (const job of jobs) {
    try {
      await job(db)
    } catch (err) {
      console.error(JSON.stringify({ level: 'error', msg: 'scheduled job failed', error: String(err) }))
    }
  }
}

export function startScheduler(db: DB, everyMs = 60_000) {
  void runJobs(db)
  const timer = setInterval(() => void runJobs(db), everyMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
