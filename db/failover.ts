import pg from 'pg'
import { guardConnectionErrors } from './pg-pool.js'
import { isConnectionError } from './errors.js'

/*
 * A primary and its standby, given as one URL with both hosts (`postgres://u:p@db1:5432,db2:5432/gongyi`, the
 * libpq form; node-postgres itself takes one host). The server must write to whichever of them is the primary
 * now: after a failover (the standby promoted with `pg_ctl promote` or `pg_promote()`) that is the other host.
 *
 * FailoverPool keeps a node-postgres pool on the host that last accepted writes. Every new connection is asked
 * `pg_is_in_recovery()` once before its first use; a connection that fails, or lands on a standby, drops that host
 * and the next request looks again: each host in turn, the first one that is not in recovery wins. While no host
 * accepts writes, requests fail at once with a connection error, which the server answers 503
 * SERVICE_UNAVAILABLE (nothing was written: no transaction began). No home-made replication: promotion is
 * PostgreSQL's (or Patroni's, or the managed service's); this only finds the result.
 */

export interface HostUrl {
  host: string
  port: number
  /** A one-host URL for node-postgres. */
  url: string
}

/** The hosts of a PostgreSQL URL: one for `postgres://u:p@h:5432/db`, several for `postgres://u:p@h1:5432,h2:5433/db`. */
export function splitHosts(url: string): HostUrl[] {
  const m = /^(postgres(?:ql)?:\/\/)(?:([^@/]*)@)?([^/?#]*)(.*)$/i.exec(url)
  if (!m) throw new Error('not a postgres:// URL')
  const [, scheme, auth, hostList, rest] = m
  return hostList!.split(',').map((h) => {
    // [::1]:5432, host:5432, host
    const hm = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(h.trim())
    if (!hm?.[1]) throw new Error(`bad host in the PostgreSQL URL: "${h}"`)
    const port = hm[2] ? Number(hm[2]) : 5432
    return {
      host: hm[1].replace(/^\[|\]$/g, ''),
      port,
      url: `${scheme}${auth !== undefined ? `${auth}@` : ''}${hm[1]}:${port}${rest}`,
    }
  })
}

/** The error a request gets while no host accepts writes: a connection error, so the server answers 503. */
export class NoPrimaryError extends Error {
  readonly code = '08001' // sqlclient_unable_to_establish_sqlconnection
  constructor(detail: string) {
    super(`no PostgreSQL host accepts writes now (${detail})`)
    this.name = 'NoPrimaryError'
  }
}

export interface FailoverEvents {
  /** A host was chosen as the primary (at the first connection and after each switch). */
  onPrimary?: (host: HostUrl, previous: HostUrl | null) => void
}

/** How long to try one host while looking for the primary: a dead machine must not hold every request. */
const PROBE_TIMEOUT_MS = 2000
/** After a search that found no primary, requests fail at once for this long instead of searching again each. */
const SEARCH_PAUSE_MS = 200

export class FailoverPool {
  private pool: pg.Pool | null = null
  private current: HostUrl | null = null
  private searching: Promise<pg.Pool> | null = null
  private failedAt = 0
  private lastFailure = ''
  private readonly fresh = new WeakSet<object>()
  private ended = false

  constructor(
    readonly hosts: HostUrl[],
    private readonly options: Omit<pg.PoolConfig, 'connectionString' | 'host' | 'port'>,
    private readonly events: FailoverEvents = {},
  ) {}

  /** The host in use now (null while none is known). */
  get primary(): HostUrl | null {
    return this.current
  }

  async connect(): Promise<pg.PoolClient> {
    if (this.ended) throw new Error('Cannot use a pool after calling end on the pool')
    const pool = this.pool ?? (await this.findPrimary())
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (err) {
      if (isConnectionError(err)) this.lose(pool, String((err as Error).message || (err as { code?: string }).code))
      throw err
    }
    if (this.fresh.has(client)) {
      // A new connection: is this host still the primary? (Once per connection, not per request.)
      let standby: boolean
      try {
        standby = (await client.query<{ r: boolean }>('select pg_is_in_recovery() as r')).rows[0]!.r
      } catch (err) {
        client.release(true)
        if (isConnectionError(err)) this.lose(pool, String((err as Error).message))
        throw err
      }
      this.fresh.delete(client)
      if (standby) {
        client.release(true)
        this.lose(pool, `${this.current?.host}:${this.current?.port} is a standby now`)
        throw new NoPrimaryError(this.lastFailure)
      }
    }
    return client
  }

  async end(): Promise<void> {
    this.ended = true
    await this.pool?.end()
    this.pool = null
  }

  /** Forgets the host behind `pool` (once, however many requests saw it fail). */
  private lose(pool: pg.Pool, why: string) {
    if (this.pool !== pool) return
    this.pool = null
    this.lastFailure = why
    console.error(
      JSON.stringify({
        level: 'warn',
        msg: 'postgresql primary lost; looking for it again',
        host: this.current && `${this.current.host}:${this.current.port}`,
        why,
      }),
    )
    // Connections still checked out finish (or fail) on their own; the pool closes when they are back.
    pool.end().catch(() => {})
  }

  /** One search at a time; requests arriving meanwhile wait for it, then fail at once for a moment if it found none. */
  private findPrimary(): Promise<pg.Pool> {
    if (this.searching) return this.searching
    if (Date.now() - this.failedAt < SEARCH_PAUSE_MS) return Promise.reject(new NoPrimaryError(this.lastFailure))
    this.searching = this.search().finally(() => {
      this.searching = null
    })
    return this.searching
  }

  private async search(): Promise<pg.Pool> {
    const seen: string[] = []
    for (const host of this.hosts) {
      const client = new pg.Client({ connectionString: host.url, connectionTimeoutMillis: PROBE_TIMEOUT_MS })
      client.on('error', () => {}) // a probe that dies later must not crash the process
      try {
        await client.connect()
        const { rows } = await client.query<{ r: boolean }>('select pg_is_in_recovery() as r')
        if (rows[0]!.r) {
          seen.push(`${host.host}:${host.port} standby`)
          continue
        }
        if (this.ended) throw new Error('Cannot use a pool after calling end on the pool')
        const previous = this.current
        this.current = host
        this.pool = this.newPool(host)
        this.failedAt = 0
        this.events.onPrimary?.(host, previous)
        return this.pool
      } catch (err) {
        if (!isConnectionError(err)) throw err
        seen.push(`${host.host}:${host.port} ${(err as { code?: string }).code ?? (err as Error).message}`)
      } finally {
        client.end().catch(() => {})
      }
    }
    this.failedAt = Date.now()
    this.lastFailure = seen.join('; ')
    throw new NoPrimaryError(this.lastFailure)
  }

  private newPool(host: HostUrl): pg.Pool {
    const pool = guardConnectionErrors(new pg.Pool({ ...this.options, connectionString: host.url }))
    pool.on('connect', (client) => this.fresh.add(client))
    return pool
  }
}
