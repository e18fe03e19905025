import { mkdirSync, rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { BENCH_PASSWORD } from './lib/credentials.js'
import { DATA_DIR, datasets, ensureDatasets, removeWorkingCopy, type Size, workingCopy } from './lib/datasets.js'
import { type ExternalRun, runScript } from './lib/external.js'
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
import { exportScenario } from './scenarios/export.js'
import { kioskBundleScenario, villagerBundleScenario } from './scenarios/kiosk-bundle.js'
import { redemptionScenario } from './scenarios/redemption.js'
import { rosterImportScenario } from './scenarios/roster-import.js'
import { searchScenario } from './scenarios/search.js'

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
  },
})
const size = values.size as Size
if (!['quick', 'standard', 'full'].includes(size)) throw new Error('--size is quick, standard or full')
const BUDGET_S = 570 // the issue's ten minutes, less a margin
const started = performance.now()
const startedAt = new Date()
const elapsed = () => (performance.now() - started) / 1000
const log = (line: string) => console.error(`[${fmt(elapsed())} s] ${line}`)
const loadAverage = loadavg().map((x) => x.toFixed(2)).join(', ')

mkdirSync(DATA_DIR, { recursive: true })
const profileDir = join(DATA_DIR, 'profiles')
rmSync(profileDir, { recursive: true, force: true })
const machine = describeMachine(DATA_DIR)
log(`${machine.cpu}, ${machine.cores} cores, ${machine.memory}; Node ${machine.node}, SQLite ${machine.sqlite}; load average ${loadAverage}`)

const { county: countySpec, big: bigSpec } = datasets(size)
const [county, big] = await ensureDatasets([countySpec, bigSpec], log)
const ctx: BenchContext = { size, rounds: Number(values.rounds), seconds: Number(values.seconds), county: county!, big: big!, profileDir, log }
const rows: Row[] = []
const failures: string[] = []

async function scenario(name: string, run: () => Promise<Row | Row[]>) {
  log(`${name} …`)
  try {
    const r = await run()
    rows.push(...(Array.isArray(r) ? r : [r]))
  } catch (err) {
    failures.push(`${name}: ${(err as Error).stack ?? err}`)
    log(`${name} failed: ${(err as Error).message}`)
  }
}

// The county: a typical village's counter and search, then cold starts, on one scratch copy.
const countyFile = workingCopy(county!, 'county')
{
  // Resolve rounds: warm-up, the rounds, and a profile round if needed.
  const counter = await prepareCounter(countyFile, cashiersFor(MAX_PER_SECOND, 1 + ctx.rounds * ctx.seconds + ctx.seconds))
  const server = await startServer(countyFile)
  try {
    const cashier = await login(server.url, staffName(counter.village, 'cashier'), BENCH_PASSWORD)
    const clerk = await login(server.url, staffName(counter.village, 'clerk'), BENCH_PASSWORD)
    await scenario('redemption', () => redemptionScenario(ctx, counter, server, cashier))
    await scenario('card resolve', () => cardResolveScenario(ctx, counter, server))
    await scenario('search in a typical village', () => searchScenario(ctx, { file: countyFile, url: server.url, token: clerk, village: counter.village, data: county!.label }))
  } finally {
    await server.stop()
  }
}
await scenario('cold start', () => coldStartScenario(ctx, countyFile, join(DATA_DIR, 'work-empty.db')))
removeWorkingCopy(countyFile)
removeWorkingCopy(join(DATA_DIR, 'work-empty.db'))

// The single big village: search among 52,000 households, the month's export, then bulk posting (which writes).
const bigFile = workingCopy(big!, 'big-village')
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
await scenario('monthly export', () => exportScenario(ctx, bigFile))
await scenario('bulk award posting', () => bulkAwardScenario(ctx, bigFile))
removeWorkingCopy(bigFile)

await scenario('kiosk bundle', () => kioskBundleScenario(ctx))
await scenario('villager page bundle', () => villagerBundleScenario(ctx))
await scenario('roster import', () => rosterImportScenario(ctx))

// The feature teams' own scripts, as they are, in what is left of the ten minutes.
const external: ExternalRun[] = []
if (!values['no-external']) {
  const left = () => Math.max(0, BUDGET_S - elapsed()) * 1000
  for (const [script, args, env] of [
    ['bench:redemption', [], { ROUNDS: '3', SALES: '200' }],
    ['bench:export', ['--formats', 'csv'], {}],
  ] as const) {
    if (left() < 20_000) {
      external.push({ script, present: true, ok: false, seconds: 0, output: '', json: [], note: 'not run: no time left within the ten minutes' })
      continue
    }
    log(`npm run ${script} …`)
    external.push(await runScript(script, [...args], { ...env }, Math.min(240_000, left())))
  }
}

const out = values.out ?? (size === 'quick' ? join(DATA_DIR, 'BENCHMARKS-quick.md') : 'BENCHMARKS.md')
const command = `npm run bench${size === 'standard' ? '' : ` -- --size ${size}`}`
writeReport(out, { command, startedAt, seconds: elapsed(), loadAverage, machine, datasets: [county!, big!], rows, external, failures })
console.log(`\n${printTable(rows)}\n`)
for (const e of external) console.log(`npm run ${e.script}: ${e.present ? (e.ok ? 'ran' : `failed${e.note ? ` (${e.note})` : ''}`) : 'not in package.json yet'}`)
if (failures.length) console.log(`\n${failures.length} scenario(s) failed to run:\n${failures.join('\n')}`)
console.log(`\nwritten to ${out} in ${fmt(elapsed())} s`)
if (failures.length) process.exitCode = 1
