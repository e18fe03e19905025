import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { ReadyDataset } from './datasets.js'
import { type Conditions, describeConditions, isBusy } from './conditions.js'
import type { ExternalRun } from './external.js'
import type { Machine } from './machine.js'
import type { Row } from './scenario.js'

/*
 * BENCHMARKS.md: written by `npm run bench` from the figures of that run. Everything after the KEEP marker
 * is prose written by hand (findings, fixes, before and after) and survives the rewrite.
 */

export const KEEP =
  '<!-- Everything below this line is written by hand; npm run bench keeps it when it rewrites the file. -->'

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

export interface Report {
  command: string
  startedAt: Date
  seconds: number
  loadAverage: string
  machine: Machine
  datasets: ReadyDataset[]
  rows: Row[]
  external: ExternalRun[]
  failures: string[]
}

const loadCell = (c?: Conditions) =>
  c
    ? `${c.loadBefore.toFixed(2)} → ${c.loadAfter.toFixed(2)} (${c.calBeforeMs} → ${c.calAfterMs})${isBusy(c) ? ' **busy**' : ''}`
    : '—'

export function renderReport(r: Report, kept: string): string {
  const m = r.machine
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`${r.command}\` on ${r.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; the whole run took ${Math.floor(r.seconds / 60)} min ${Math.round(r.seconds % 60)} s`,
    "including data generation. Each figure is the median of that run's rounds; each baseline ran in the same run, its rounds",
    "interleaved with the measured ones, on the same data. Load comes from a client in the runner's process over loopback",
    '(autocannon, or a sequential `fetch` where per-request latency matters); servers are `server/main.ts` in their own process.',
    '',
    '## Machine',
    '',
    '| | |',
    '| --- | --- |',
    `| CPU | ${m.cpu}, ${m.cores} cores |`,
    `| memory | ${m.memory} |`,
    `| disk | ${m.disk} |`,
    `| Node | ${m.node} |`,
    `| SQLite | ${m.sqlite} (better-sqlite3 ${m.betterSqlite3}), WAL, synchronous=FULL |`,
    `| OS | ${m.os} |`,
    `| commit | ${m.commit} |`,
    `| load average at the start | ${r.loadAverage} (other work on the machine shows here) |`,
    '',
    '## Data',
    '',
    ...r.datasets.map(
      (d) =>
        `- \`${d.file}\`: \`npm run bench:data -- ${d.args.join(' ')}\` — ${d.summary.replace(/^[^:]*: /, '')}${d.reused ? ' (reused from an earlier run: same arguments, same generator)' : ''}`,
    ),
    '',
    '## Results',
    '',
    '| scenario | data | measured | baseline (same run) | ratio | goal | | load before → after (calibration ms) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.rows.map(
      (x) =>
        `| ${cell(x.scenario)} | ${cell(x.data)} | **${cell(x.figure)}** | ${cell(x.baseline)} | ${x.ratio} | ${cell(x.goal)} | ${x.met === null ? '—' : x.met ? 'met' : '**missed**'} | ${loadCell(x.conditions)} |`,
    ),
    '',
    "Ratios are throughput over the baseline's (for bulk posting: the baseline's time over ours): 1.0 would be as fast as the bare code.",
    "The last column is the 1-minute load average and a CPU calibration (sha256 of 64 bytes, 100,000 times, on the runner's thread) before and after the scenario; **busy** marks a figure taken while the load was above 1.0 (other work shared the two cores).",
    '',
    '## Rounds and notes',
    '',
    ...r.rows.flatMap((x) => [
      `### ${x.scenario}`,
      '',
      `- rounds: ${x.rounds}`,
      ...(x.conditions ? [`- machine: ${describeConditions(x.conditions)}`] : []),
      ...x.notes.map((n) => `- ${n}`),
      '',
    ]),
  ]
  if (r.external.length) {
    lines.push("## The feature teams' own benchmark scripts, run by `npm run bench`", '')
    for (const e of r.external) {
      if (!e.present) {
        lines.push(`- \`npm run ${e.script}\`: not in package.json yet; the row above is measured by this runner.`)
        continue
      }
      lines.push(
        `- \`npm run ${e.script}\` (${e.ok ? 'ok' : 'failed'}, ${Math.round(e.seconds)} s)${e.note ? `: ${e.note}` : ''}`,
        '',
        '```',
        ...e.output.trim().split('\n').slice(-25),
        '```',
        '',
      )
    }
    lines.push('')
  }
  if (r.failures.length) lines.push('## Scenarios that did not run', '', ...r.failures.map((f) => `- ${f}`), '')
  lines.push(KEEP, kept)
  return lines.join('\n')
}

/** The hand-written part of an existing file. */
export function keptPart(file: string): string {
  if (!existsSync(file)) return ''
  const text = readFileSync(file, 'utf8')
  const at = text.indexOf(KEEP)
  // A file written by hand before this runner existed: all of it is kept, below the generated part.
  if (at < 0) return text.replace(/^# Benchmarks\s*\n/, '')
  return text.slice(at + KEEP.length).replace(/^\n/, '')
}

export function writeReport(file: string, r: Report) {
  writeFileSync(file, renderReport(r, keptPart(file)))
}

export function printTable(rows: Row[]): string {
  const head = ['scenario', 'measured', 'baseline', 'ratio', 'goal', '']
  const body = rows.map((x) => [
    x.scenario,
    x.figure,
    x.baseline.replace(/:.*?:\s*/, ': ').slice(0, 60),
    x.ratio,
    x.goal,
    x.met === null ? '' : x.met ? 'met' : 'MISSED',
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
  return [head, ...body].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n')
}
