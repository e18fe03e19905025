import { mkdirSync, rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { BENCH_PASSWORD } from './lib/credentials.js'
import {
  DATA_DIR,
  datasets,
  ensureDatasets,
  type ReadyDataset,
  removeWorkingCopy,
  type Size,
  workingCopy,
} from './lib/datasets.js'
import { type ExternalRun, runScript } from './lib/external.js'
import { type Conditions, describeConditions, isBusy, measured } from './lib/conditions.js'
import { describeMachine } from './lib/machine.js'
import { printTable, writeReport } from './lib/report.js'
import type { BenchContext, Row } from './lib/scenario.js'
import { login, startServer } from './lib/server.js'
import { fmt } from './lib/stats.js'
import { staffName, villageNear } from './lib/village.js'
import { openDatabase } from '../db/database.js'
import { bulkAwardScenario } from './scenarios/bulk-award.js'
import { cardResolveScenario, MAX_PER_SECOND } from './scenarios/resolve.js'
import { coldStartScenario } from './scenarios/cold-start.js'
import { cashiersFor, prepareCounter } from './scenarios/counter.js'
import { busiestMonth, exportScenario } from './scenarios/export.js'
import { countyVerifyScenario } from './scenarios/county-verify.js'
import { monthEndScenario } from './scenarios/month-end.js'
import { kioskBundleScenario, villagerBundleScenario } from './scenarios/kiosk-bundle.js'
import { redemptionScenario } from './scenarios/redemption.js'
import { rosterImportScenario } from './scenarios/roster-import.js'
import { searchScenario } from './scenarios/search.js'
import { counterDuringAward, exportOnStandby, redemptionThroughput, withPgCluster } from './scenarios/pg-run.js'

/*
 * npm run bench [-- --size quick|standard|full] [--rounds 3] [--seconds 4] [--no-external]
 *
 * Runs every scenario of issue 7 against its baseline in one run and writes BENCHMARKS.md. `standard` (the
 * default) uses the full county's households with two months of activity, so a fresh clone finishes in under
 * ten minutes on two cores; `full` generates the whole year; `quick` is a tenth of the county, for trying the
 * runner (it writes data/bench/BENCHMARKS-quick.md instead).
 */

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'standard' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '4' },
    'no-external': { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string', multiple: true },
    'rerun-busy': { type: 'string', default: '1' },
    // PostgreSQL (issues 15 and 20): throwaway servers of this run's own; sizes small enough for a busy machine.
    pg: { type: 'boolean', default: false },
    'pg-villages': { type: 'string', default: '120' },
    'pg-households': { type: 'string', default: '20' },
    'pg-big-households': { type: 'string', default: '10000' },
  },
})
/** `--only NAME` (repeatable): the scenarios whose name contains NAME; the report then goes to data/bench/. */
const only = values.only?.map((s) => s.toLowerCase())
const want = (name: string) => !only || only.some((o) => name.toLowerCase().includes(o))
const rerunBusy = Number(values['rerun-busy'])
const size = values.size as Size
if (!['quick', 'standard', 'full'].includes(size)) throw new Error('--size is quick, standard or full')
const BUDGET_S = 570 // the issue's ten minutes, less a margin
const started = performance.now()
const startedAt = new Date()
const elapsed = () => (performance.now() - started) / 1000
const log = (line: string) => console.error(`[${fmt(elapsed())} s] ${line}`)
const loadAverage = loadavg()
  .map((x) => x.toFixed(2))
  .join(', ')

mkdirSync(DATA_DIR, { recursive: true })
const profileDir = join(DATA_DIR, 'profiles')
rmSync(profileDir, { recursive: true, force: true })
const machine = describeMachine(DATA_DIR)
log(
  `${machine.cpu}, ${machine.cores} cores, ${machine.memory}; Node ${machine.node}, SQLite ${machine.sqlite}; load average ${loadAverage}`,
)

const { county: countySpec, big: bigSpec } = datasets(size)
// `--pg --only pg` needs none of the SQLite datasets: do not spend minutes generating them.
const pgOnly = values.pg && only?.every((o) => o.startsWith('pg'))
const [county, big] = pgOnly
  ? [countySpec, bigSpec].map(
      (d): ReadyDataset => ({ ...d, generatedSeconds: 0, reused: true, summary: 'not used in this run' }),
    )
  : await ensureDatasets([countySpec, bigSpec], log)
const ctx: BenchContext = {
  size,
  rounds: Number(values.rounds),
  seconds: Number(values.seconds),
  county: county!,
  big: big!,
  profileDir,
  log,
}
const rows: Row[] = []
const failures: string[] = []

/**
 * Runs one scenario between two readings of the machine's load and a CPU calibration. A scenario measured
 * while the load was above 1.0 runs again (up to --rerun-busy times); the calmer run is reported, the other noted.
 */
async function scenario(name: string, run: () => Promise<Row | Row[]>) {
  if (!want(name)) return
  log(`${name} …`)
  try {
    let best: { value: Row | Row[]; conditions: Conditions } | null = null
    const tries: string[] = []
    for (let attempt = 0; attempt <= rerunBusy; attempt++) {
      const m = await measured(run)
      tries.push(describeConditions(m.conditions))
      log(`  ${name}: ${tries.at(-1)}`)
      const calm = (c: Conditions) => Math.max(c.loadBefore, c.loadAfter)
      if (!best || calm(m.conditions) < calm(best.conditions)) best = m
      if (!isBusy(m.conditions)) break
    }
    const r = (Array.isArray(best!.value) ? best!.value : [best!.value]).map((x) => ({
      ...x,
      conditions: best!.conditions,
    }))
    if (tries.length > 1)
      for (const x of r)
        x.notes.push(
          `run ${tries.length} times because the machine was busy (${tries.join('; ')}); the calmest run is reported`,
        )
    rows.push(...r)
  } catch (err) {
    failures.push(`${name}: ${(err as Error).stack ?? err}`)
    log(`${name} failed: ${(err as Error).message}`)
  }
}

// The county: a typical village's counter and search, then cold starts, on one scratch copy.
const countyNeeded = ['redemption', 'card resolve', 'search in a typical village', 'cold start'].some(want)
const countyFile = countyNeeded ? workingCopy(county!, 'county') : ''
if (['redemption', 'card resolve', 'search in a typical village'].some(want)) {
  // Resolve rounds: warm-up, the rounds, and a profile round if needed.
  const counter = await prepareCounter(
    countyFile,
    cashiersFor(MAX_PER_SECOND, 1 + ctx.rounds * ctx.seconds + ctx.seconds),
  )
  const server = await startServer(countyFile)
  try {
    const cashier = await login(server.url, staffName(counter.village, 'cashier'), BENCH_PASSWORD)
    const clerk = await login(server.url, staffName(counter.village, 'clerk'), BENCH_PASSWORD)
    await scenario('redemption', () => redemptionScenario(ctx, counter, server, cashier))
    await scenario('card resolve', () => cardResolveScenario(ctx, counter, server))
    await scenario('search in a typical village', () =>
      searchScenario(ctx, {
        file: countyFile,
        url: server.url,
        token: clerk,
        village: counter.village,
        data: county!.label,
      }),
    )
  } finally {
    await server.stop()
  }
}
await scenario('cold start', () => coldStartScenario(ctx, countyFile, join(DATA_DIR, 'work-empty.db')))
// Read-only: the generated file itself.
await scenario('county verify', () => countyVerifyScenario(ctx, county!.file))
if (countyFile) removeWorkingCopy(countyFile)
removeWorkingCopy(join(DATA_DIR, 'work-empty.db'))

// The single big village: search among 52,000 households, the month's export, then bulk posting (which writes).
const bigNeeded = [
  'search in the 52,000-household village',
  'monthly export csv',
  'monthly export xlsx',
  'bulk award posting',
  'month-end counter',
].some(want)
const bigFile = bigNeeded ? workingCopy(big!, 'big-village') : ''
await scenario('search in the 52,000-household village', async () => {
  const { db, close } = openDatabase(bigFile)
  const village = await villageNear(db, Number.MAX_SAFE_INTEGER)
  await close()
  const server = await startServer(bigFile)
  try {
    const clerk = await login(server.url, staffName(village, 'clerk'), BENCH_PASSWORD)
    return await searchScenario(ctx, { file: bigFile, url: server.url, token: clerk, village, data: big!.label })
  } finally {
    await server.stop()
  }
})
await scenario('monthly export csv', () => exportScenario(ctx, bigFile, 'csv'))
await scenario('monthly export xlsx', () => exportScenario(ctx, bigFile, 'xlsx'))
await scenario('bulk award posting', () => bulkAwardScenario(ctx, bigFile))
await scenario('month-end counter', async () => {
  const { db, close } = openDatabase(bigFile)
  const village = await villageNear(db, Number.MAX_SAFE_INTEGER)
  await close()
  const { month } = await busiestMonth(bigFile, village.id)
  return monthEndScenario(ctx, bigFile, month)
})
if (bigFile) removeWorkingCopy(bigFile)

if (values.pg) {
  const o = {
    villages: Number(values['pg-villages']),
    households: Number(values['pg-households']),
    bigHouseholds: Number(values['pg-big-households']),
  }
  await withPgCluster(async (url) => {
    await scenario('pg redemptions across villages', () => redemptionThroughput(ctx, o, url))
    await scenario('pg counter while an award posts', () => counterDuringAward(ctx, o, url))
  })
  await scenario('pg export on the standby', () => exportOnStandby(ctx, o))
}

await scenario('kiosk bundle', () => kioskBundleScenario(ctx))
await scenario('villager page bundle', () => villagerBundleScenario(ctx))
await scenario('roster import', () => rosterImportScenario(ctx))

// The feature teams' own scripts, as they are, in what is left of the ten minutes.
const external: ExternalRun[] = []
if (!values['no-external'] && !only) {
  const left = () => Math.max(0, BUDGET_S - elapsed()) * 1000
  for (const [script, args, env] of [
    ['bench:redemption', [], { ROUNDS: '3', SALES: '200' }],
    ['bench:export', ['--formats', 'csv'], {}],
  ] as const) {
    if (left() < 20_000) {
      external.push({
        script,
        present: true,
        ok: false,
        seconds: 0,
        output: '',
        json: [],
        note: 'not run: no time left within the ten minutes',
      })
      continue
    }
    log(`npm run ${script} …`)
    external.push(await runScript(script, [...args], { ...env }, Math.min(240_000, left())))
  }
}

const out =
  values.out ??
  (size === 'quick'
    ? join(DATA_DIR, 'BENCHMARKS-quick.md')
    : only
      ? join(DATA_DIR, 'BENCHMARKS-only.md')
      : 'BENCHMARKS.md')
const args = [
  ...(size === 'standard' ? [] : ['--size', size]),
  ...(values.pg
    ? [
        '--pg',
        '--pg-villages',
        values['pg-villages']!,
        '--pg-households',
        values['pg-households']!,
        '--pg-big-households',
        values['pg-big-households']!,
      ]
    : []),
  ...(only ?? []).flatMap((o) => ['--only', `'${o}'`]),
]
const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`
writeReport(out, {
  command,
  startedAt,
  seconds: elapsed(),
  loadAverage,
  machine,
  datasets: [county!, big!],
  rows,
  external,
  failures,
})
console.log(`\n${printTable(rows)}\n`)
for (const e of external)
  console.log(
    `npm run ${e.script}: ${e.present ? (e.ok ? 'ran' : `failed${e.note ? ` (${e.note})` : ''}`) : 'not in package.json yet'}`,
  )
if (failures.length) console.log(`\n${failures.length} scenario(s) failed to run:\n${failures.join('\n')}`)
console.log(`\nwritten to ${out} in ${fmt(elapsed())} s`)
if (failures.length) process.exitCode = 1
