import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { DATA_DIR } from '../lib/datasets.js'
import type { BenchContext, Row } from '../lib/scenario.js'
import { median } from '../lib/stats.js'
import {
  award,
  type BenchVillage,
  counterDuring,
  fmt,
  type PgBenchOptions,
  redemptionsPerSecond,
  rowBase,
  seedMany,
  startOn,
} from './pg.js'

/*
 * The --pg scenarios. Each PostgreSQL server is a throwaway one of this run's own (scripts/pg-cluster.sh
 * --durable: fsync on, as in production; scripts/pg-replica.sh for the standby pair), stopped at the end.
 */

const ROOT = join(import.meta.dirname, '..', '..')
function script(name: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn('bash', [join(ROOT, 'scripts', name), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      out += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) ok(out.trim())
      else fail(new Error(`${name} ${args.join(' ')}: exit ${code}\n${out}`))
    })
  })
}

const CLUSTER_ENV = { GONGYI_PG_STATE: join(ROOT, 'tmp', 'bench-pg.env') }
const PAIR_ENV = { GONGYI_PG_REPLICA_STATE: join(ROOT, 'tmp', 'bench-pg-replica.env') }

async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: `${serverUrl}/postgres` })
  await c.connect()
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await c.query(`CREATE DATABASE ${name}`)
  } finally {
    await c.end()
  }
  return `${serverUrl}/${name}`
}

export async function withPgCluster<T>(fn: (serverUrl: string) => Promise<T>): Promise<T> {
  const url = await script('pg-cluster.sh', ['start', '--durable'], CLUSTER_ENV)
  try {
    return await fn(url)
  } finally {
    await script('pg-cluster.sh', ['stop'], CLUSTER_ENV).catch(() => '')
  }
}

/** Redemptions a second across the villages: SQLite's one process, then PostgreSQL with 1, 2 and 4 workers. */
export async function redemptionThroughput(ctx: BenchContext, o: PgBenchOptions, serverUrl: string): Promise<Row[]> {
  const measure = async (
    db: string,
    env: Record<string, string>,
    label: string,
    seed: boolean,
    villages: BenchVillage[],
  ) => {
    const server = await startOn(db, env)
    try {
      if (seed) villages.push(...(await seedMany(server.url, o.villages, o.households, 'T', ctx.log)))
      await redemptionsPerSecond(server.url, villages, Math.max(2, Math.ceil(ctx.seconds / 2))) // warm-up (every worker up)
      const runs = []
      for (let r = 0; r < ctx.rounds; r++) runs.push(await redemptionsPerSecond(server.url, villages, ctx.seconds))
      const bad = runs.reduce((n, x) => n + x.failed, 0)
      ctx.log(
        `  ${label}: ${runs.map((x) => fmt(x.perSecond)).join(', ')} /s (p99 ${runs.map((x) => x.p99).join(', ')} ms)${bad ? `, ${bad} not 201` : ''}`,
      )
      return {
        perSecond: median(runs.map((x) => x.perSecond)),
        p99: median(runs.map((x) => x.p99)),
        rounds: runs.map((x) => fmt(x.perSecond)).join(', '),
        bad,
      }
    } finally {
      await server.stop()
    }
  }
  const file = join(DATA_DIR, 'pg-bench-sqlite.db')
  rmSync(file, { force: true })
  rmSync(`${file}-wal`, { force: true })
  const sqliteVillages: BenchVillage[] = []
  const sqlite = await measure(file, {}, 'SQLite, 1 process', true, sqliteVillages)
  const pgDb = await freshDatabase(serverUrl, 'gongyi_bench')
  const pgVillages: BenchVillage[] = []
  const out: Row[] = []
  const data = `${o.villages} villages × ${o.households} households; 8 connections, each request another village; ${ctx.rounds} × ${ctx.seconds} s`
  out.push({
    ...rowBase(ctx),
    scenario: 'pg redemptions/s, SQLite 1 process',
    data,
    figure: `${fmt(sqlite.perSecond)} /s`,
    baseline: `p99 ${sqlite.p99} ms`,
    goal: '',
    rounds: sqlite.rounds,
  })
  for (const workers of [1, 2, 4]) {
    const r = await measure(
      pgDb,
      { GONGYI_WORKERS: String(workers) },
      `PostgreSQL, ${workers} worker(s)`,
      workers === 1,
      pgVillages,
    )
    out.push({
      ...rowBase(ctx),
      scenario: `pg redemptions/s, PostgreSQL ${workers} worker${workers > 1 ? 's' : ''}`,
      data,
      figure: `${fmt(r.perSecond)} /s`,
      baseline: `SQLite 1 process: ${fmt(sqlite.perSecond)} /s; p99 ${r.p99} ms`,
      ratio: (r.perSecond / sqlite.perSecond).toFixed(2),
      goal: '',
      rounds: r.rounds,
      notes: r.bad ? [`${r.bad} answers were not 201`] : [],
    })
  }
  rmSync(file, { force: true })
  return out
}

/** A counter in village A while an award to every household of village B posts. */
export async function counterDuringAward(ctx: BenchContext, o: PgBenchOptions, serverUrl: string): Promise<Row[]> {
  const one = async (db: string, env: Record<string, string>, label: string) => {
    const server = await startOn(db, env)
    try {
      const [a] = await seedMany(server.url, 1, 50, 'A', ctx.log)
      const [b] = await seedMany(server.url, 1, o.bigHouseholds, 'B', ctx.log)
      const r = await counterDuring(server.url, a!, 3000, () => award(server.url, b!, b!.households))
      ctx.log(
        `  ${label}: quiet p99 ${fmt(r.quietP99)} ms (${r.quietN} sales); during the ${fmt(r.workMs)} ms posting p99 ${fmt(r.busyP99)} ms, max ${fmt(r.busyMax)} ms (${r.busyN} sales)`,
      )
      return r
    } finally {
      await server.stop()
    }
  }
  const file = join(DATA_DIR, 'pg-bench-award.db')
  rmSync(file, { force: true })
  const s = await one(file, {}, 'SQLite')
  rmSync(file, { force: true })
  const p = await one(
    await freshDatabase(serverUrl, 'gongyi_bench_award'),
    { GONGYI_WORKERS: '2' },
    'PostgreSQL, 2 workers',
  )
  const data = `village A: 2 counters (a sale, 20 ms, the next); village B: ${o.bigHouseholds.toLocaleString('en')} households awarded at once`
  const row = (name: string, r: typeof s, goal: string, met: boolean | null): Row => ({
    ...rowBase(ctx),
    scenario: name,
    data,
    figure: `p99 ${fmt(r.busyP99)} ms (max ${fmt(r.busyMax)} ms, ${r.busyN} sales)`,
    baseline: `quiet p99 ${fmt(r.quietP99)} ms; the posting took ${fmt(r.workMs)} ms`,
    ratio: (r.busyP99 / r.quietP99).toFixed(1),
    goal,
    met,
    notes: r.refused ? [`${r.refused} sales not answered 201`] : [],
  })
  return [
    row('pg counter in A while B posts, SQLite', s, 'shows the wait', null),
    row('pg counter in A while B posts, PostgreSQL 2 workers', p, 'p99 < 100 ms', p.busyP99 < 100),
  ]
}

/** Issue 20: counters on the primary while a large village's month is exported, on the standby or on the primary. */
export async function exportOnStandby(ctx: BenchContext, o: PgBenchOptions): Promise<Row[]> {
  const urls = await script('pg-replica.sh', ['start'], PAIR_ENV)
  const get = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(urls)?.[1] ?? ''
  try {
    const withStandby = await startOn(get('PRIMARY_URL'), {
      GONGYI_DB_REPLICA: get('STANDBY_URL'),
      GONGYI_WORKERS: '2',
    })
    let a: BenchVillage
    let b: BenchVillage
    const month = new Date().toISOString().slice(0, 7)
    const exports = (base: string, n: number) => async () => {
      const from: string[] = []
      for (let i = 0; i < n; i++) {
        const res = await fetch(`${base}/api/villages/${b.vid}/exports/monthly?month=${month}&format=csv`, {
          headers: { authorization: `Bearer ${b.clerk}` },
        })
        await res.arrayBuffer()
        from.push(res.headers.get('x-gongyi-read-from') ?? 'primary')
      }
      return from
    }
    let standby: Awaited<ReturnType<typeof counterDuring>>
    let from: string[] = []
    try {
      a = (await seedMany(withStandby.url, 1, 50, 'SA', ctx.log))[0]!
      b = (await seedMany(withStandby.url, 1, o.bigHouseholds, 'SB', ctx.log))[0]!
      for (let i = 0; i < 3; i++) await award(withStandby.url, b!, b!.households) // a month of entries to export
      standby = await counterDuring(withStandby.url, a!, 3000, async () => {
        from = await exports(withStandby.url, 3)()
      })
    } finally {
      await withStandby.stop()
    }
    const primaryOnly = await startOn(get('PRIMARY_URL'), { GONGYI_WORKERS: '2' })
    let primary: Awaited<ReturnType<typeof counterDuring>>
    try {
      primary = await counterDuring(primaryOnly.url, a!, 3000, exports(primaryOnly.url, 3))
    } finally {
      await primaryOnly.stop()
    }
    ctx.log(
      `  standby: quiet p99 ${fmt(standby.quietP99)} ms, during exports ${fmt(standby.busyP99)} ms (read from ${from.join(', ')}); primary: quiet ${fmt(primary.quietP99)} ms, during ${fmt(primary.busyP99)} ms`,
    )
    const data = `3 monthly CSV exports of a ${o.bigHouseholds.toLocaleString('en')}-household village (3 awards); 2 counters in another village; synchronous_commit=on to the standby; 2 workers`
    return [
      {
        ...rowBase(ctx),
        scenario: 'pg counter while exporting on the standby',
        data,
        figure: `p99 ${fmt(standby.busyP99)} ms (${standby.busyN} sales)`,
        baseline: `quiet p99 ${fmt(standby.quietP99)} ms; exports took ${fmt(standby.workMs)} ms`,
        ratio: (standby.busyP99 / standby.quietP99).toFixed(1),
        goal: 'p99 does not move',
        met: null,
        notes: [`exports read from: ${from.join(', ')}`],
      },
      {
        ...rowBase(ctx),
        scenario: 'pg counter while exporting on the primary',
        data,
        figure: `p99 ${fmt(primary.busyP99)} ms (${primary.busyN} sales)`,
        baseline: `quiet p99 ${fmt(primary.quietP99)} ms; exports took ${fmt(primary.workMs)} ms`,
        ratio: (primary.busyP99 / primary.quietP99).toFixed(1),
        goal: 'comparison',
        met: null,
      },
    ]
  } finally {
    await script('pg-replica.sh', ['stop'], PAIR_ENV).catch(() => '')
  }
}
