import cluster from 'node:cluster'

/*
 * GONGYI_WORKERS=N (PostgreSQL only): N server processes share one port (node:cluster hands each new connection
 * to a worker). The primary prepares the database (migrations, the first admin, the secrets) before any worker
 * starts, then only supervises: a worker that dies is replaced, SIGTERM/SIGINT are passed on and the primary
 * exits when all workers have shut down gracefully. Nothing a request needs lives in one worker's memory
 * (README, "Several processes"): sessions are checked against users.token_version, login failures and
 * idempotency keys are in the database, the card-resolve rate limit is a table, and exactly one process runs
 * each scheduler tick (pg_try_advisory_lock).
 */
/** In the primary process: starts n workers and never returns (the process exits when they have stopped). */
export function superviseWorkers(n: number): Promise<never> {
  let stopping = false
  const fork = () => cluster.fork()
  for (let i = 0; i < n; i++) fork()
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
      return
    }
    console.error(
      JSON.stringify({ level: 'error', msg: 'worker died; starting another', pid: worker.process.pid, code, signal }),
    )
    setTimeout(fork, 1000)
  })
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    console.log(JSON.stringify({ level: 'info', msg: 'shutting down workers', signal }))
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal)
    setTimeout(() => process.exit(1), 15_000).unref()
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  console.log(JSON.stringify({ level: 'info', msg: 'gongyi primary', workers: n }))
  return new Promise<never>(() => {})
}
