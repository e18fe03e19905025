import type pg from 'pg'

/**
 * A connection that PostgreSQL drops (a restart, admin_shutdown, a primary that died) must not crash the process.
 * Idle: the pool emits 'error' and forgets it. Checked out: pg-pool takes its own listener off while a request
 * holds the connection, and a connection cut between two statements of a transaction then emits an 'error'
 * nobody listens to, which kills the process (seen as every worker dying at a failover). The request's next
 * statement fails on its own (503) and the connection is thrown away when it is released; this only keeps the
 * event from being unhandled.
 */
export function guardConnectionErrors(pool: pg.Pool): pg.Pool {
  const guarded = new WeakSet<object>()
  const note = (err: Error) =>
    console.error(
      JSON.stringify({ level: 'warn', msg: 'postgresql connection lost', error: String(err?.message ?? err) }),
    )
  pool.on('error', note)
  pool.on('acquire', (client) => {
    if (guarded.has(client)) return
    guarded.add(client)
    client.on('error', () => {}) // reported by the pool when idle, by the failing statement when in use
  })
  return pool
}
