import { mkdirSync, rmSync } from 'node:fs'
import { mainThreadProfile, profileLines } from '../lib/profile.js'
import type { BenchContext, Row } from '../lib/scenario.js'
import { startServer } from '../lib/server.js'
import { fmt, median } from '../lib/stats.js'

/*
 * Cold start: from `npx tsx server/main.ts` with GONGYI_DB on the county database to the first 200 from
 * /api/health, as after a power cut at the township office. The same on an empty (already migrated) database
 * shows what the county's size adds.
 */

const GOAL_MS = 3000
const NPX = ['npx', 'tsx', 'server/main.ts']

async function coldStarts(file: string, rounds: number): Promise<number[]> {
  const times: number[] = []
  for (let r = 0; r < rounds; r++) {
    const server = await startServer(file, { command: NPX })
    times.push(server.readyMs)
    await server.stop()
  }
  return times
}

export async function coldStartScenario(ctx: BenchContext, countyFile: string, emptyFile: string): Promise<Row> {
  rmSync(emptyFile, { force: true })
  await (await startServer(emptyFile, { command: NPX })).stop() // creates, migrates and seeds it
  const rounds = Math.max(ctx.rounds, 5)
  const county = await coldStarts(countyFile, rounds)
  const empty = await coldStarts(emptyFile, rounds)
  ctx.log(
    `  cold start: county ${county.map((x) => fmt(x)).join(', ')} ms; empty ${empty.map((x) => fmt(x)).join(', ')} ms`,
  )
  const notes: string[] = []
  if (median(county) >= GOAL_MS) {
    const dir = `${ctx.profileDir}/cold-start`
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    await (await startServer(countyFile, { cpuProfileDir: dir })).stop()
    const f = mainThreadProfile(dir)
    if (f) notes.push(...profileLines(f))
  }
  return {
    scenario: 'cold start to /api/health',
    data: `${ctx.county.label}; \`npx tsx server/main.ts\`, ${rounds} starts`,
    figure: `${fmt(median(county))} ms`,
    baseline: `empty database: ${fmt(median(empty))} ms`,
    ratio: '—',
    goal: `< ${GOAL_MS} ms`,
    met: median(county) < GOAL_MS,
    rounds: `county ${county.map((x) => fmt(x)).join(', ')} ms; empty ${empty.map((x) => fmt(x)).join(', ')} ms`,
    notes,
  }
}
