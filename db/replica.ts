import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { type DB, pgTypes } from './database.js'
import { guardConnectionErrors } from './pg-pool.js'
import type { Database } from './schema.js'

/*
 * GONGYI_DB_REPLICA: a hot standby (streaming replication) that takes the reads that can wait — monthly exports,
 * boards, passbooks, the roll-up, the supermarket summary, ledger verification — off the primary, where the
 * counters write. Writes and reads that must see the latest write (a balance at the counter, idempotency, the
 * approval queue) never come here.
 *
 * Each such read asks choose(): the standby when it answers, is still a standby, and is at most maxLagMs behind;
 * otherwise the primary, saying why. How far behind: the primary's current WAL position against what the
 * standby has replayed; when it has replayed everything, 0; otherwise the time since the last transaction it
 * replayed committed (an upper bound: the standby shows the primary as it was then). Measured at most every
 * CHECK_EVERY_MS, so a burst of reports costs two small queries, not two per report.
 */

export interface ReportingRead {
  db: DB
  from: 'standby' | 'primary'
  /** How far behind the standby was (ms), when it was asked; null when it could not be. */
  lagMs: number | null
  /** Why the primary serves a read meant for the standby. */
  fallback?: string
}

const CHECK_EVERY_MS = 500
/** After the standby failed to answer, the primary serves for this long before it is tried again. */
const DOWN_PAUSE_MS = 5000

export class Replica {
  readonly db: DB
  private readonly pool: pg.Pool
  private last: { at: number; read: ReportingRead } | null = null
  private checking: Promise<ReportingRead> | null = null

  constructor(
    private readonly primary: DB,
    url: string,
    private readonly maxLagMs: number,
  ) {
    this.pool = guardConnectionErrors(
      new pg.Pool({
        connectionString: url,
        max: 5,
        types: pgTypes,
        // A standby that is down must not hold a report: the primary serves it instead.
        connectionTimeoutMillis: 2000,
        application_name: 'gongyi-reports',
      }),
    )
    this.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: this.pool }) })
  }

  /** Where a reporting read goes now. */
  async choose(): Promise<ReportingRead> {
    const last = this.last
    const ttl = last?.read.fallback && last.read.lagMs === null ? DOWN_PAUSE_MS : CHECK_EVERY_MS
    if (last && Date.now() - last.at < ttl) return last.read
    this.checking ??= this.check().then((read) => {
      this.last = { at: Date.now(), read }
      this.checking = null
      return read
    })
    return this.checking
  }

  /** A read on the standby failed to connect: the primary serves until the standby is checked again. */
  markDown(why: string) {
    this.last = { at: Date.now(), read: this.onPrimary(null, why) }
  }

  private async check(): Promise<ReportingRead> {
    let standby: { standby: boolean; replayed: string | null; since_ms: number | null }
    try {
      const { rows } = await sql<typeof standby>`
        select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as replayed,
               (extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::bigint as since_ms`.execute(
        this.db,
      )
      standby = rows[0]!
    } catch (err) {
      return this.onPrimary(null, `standby unreachable (${(err as { code?: string }).code ?? (err as Error).message})`)
    }
    if (!standby.standby) return this.onPrimary(null, 'the replica is not a standby (promoted?)')
    if (!standby.replayed) return this.onPrimary(null, 'the standby has replayed nothing yet')
    const { rows } = await sql<{
      behind: number
    }>`select pg_wal_lsn_diff(pg_current_wal_lsn(), ${standby.replayed}::pg_lsn)::bigint as behind`.execute(
      this.primary,
    )
    const lagMs = rows[0]!.behind <= 0 ? 0 : Math.max(0, standby.since_ms ?? Number.POSITIVE_INFINITY)
    if (lagMs > this.maxLagMs)
      return this.onPrimary(
        Number.isFinite(lagMs) ? lagMs : null,
        `the standby is ${Number.isFinite(lagMs) ? `${lagMs} ms` : 'too far'} behind (limit ${this.maxLagMs} ms)`,
      )
    return { db: this.db, from: 'standby', lagMs }
  }

  private onPrimary(lagMs: number | null, fallback: string): ReportingRead {
    return { db: this.primary, from: 'primary', lagMs, fallback }
  }

  close(): Promise<void> {
    return this.db.destroy()
  }
}
