import autocannon from 'autocannon'

/*
 * Load from a loopback client: autocannon, bounded both in time and in requests, so a run always stops by
 * itself. Throughput counts only 2xx answers: a refused request is not work done.
 */

export interface LoadOptions {
  url: string
  method?: 'GET' | 'POST'
  connections: number
  seconds: number
  maxRequests: number
  headers?: Record<string, string>
  /** The body of the i-th request (a counter per run), and extra headers for it. */
  request?: (i: number) => { path?: string; body?: string; headers?: Record<string, string> }
}

export interface LoadResult {
  ok: number
  failed: number
  seconds: number
  perSecond: number
  p50: number
  p99: number
  statuses: Record<string, number>
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  let i = 0
  const statuses: Record<string, number> = {}
  const started = performance.now()
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.seconds,
    maxOverallRequests: o.maxRequests,
    requests: [
      {
        method: o.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...o.headers },
        setupRequest: (req: Record<string, unknown>) => {
          if (!o.request) return req
          const r = o.request(i++)
          return {
            ...req,
            ...(r.path ? { path: r.path } : {}),
            ...(r.body !== undefined ? { body: r.body } : {}),
            headers: { ...(req.headers as object), ...r.headers },
          }
        },
        onResponse: (status: number) => {
          statuses[status] = (statuses[status] ?? 0) + 1
        },
      },
    ],
  } as autocannon.Options)
  // autocannon's own duration is whole seconds; a run that reached maxRequests early needs the real time.
  const seconds = (performance.now() - started) / 1000
  const ok = Object.entries(statuses)
    .filter(([s]) => s.startsWith('2'))
    .reduce((n, [, c]) => n + c, 0)
  const failed = Object.values(statuses).reduce((n, c) => n + c, 0) - ok + result.errors + result.timeouts
  return { ok, failed, seconds, perSecond: ok / seconds, p50: result.latency.p50, p99: result.latency.p99, statuses }
}
