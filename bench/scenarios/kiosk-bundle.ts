import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { BenchContext, Row } from '../lib/scenario.js'
import { DATA_DIR } from '../lib/datasets.js'
import { runScript } from '../lib/external.js'
import { fmt } from '../lib/stats.js'

/*
 * The kiosk's JavaScript, gzipped: what a counter tablet downloads before its first scan. The web app's own
 * `npm run bench:bundle` (scripts/bundle-size.ts) measures it and is used when package.json has it. Without it
 * this runner measures itself: a production build (the project's vite config) into a scratch folder with a
 * manifest, counting the entry chunk and every chunk under web/kiosk/ with their static imports (an upper
 * bound: lazy chunks under kiosk/ count too). A decoder's WASM is not JavaScript and is left out.
 */

const GOAL_KB = 150

interface ManifestChunk {
  file: string
  src?: string
  isEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
}

export function kioskChunks(manifest: Record<string, ManifestChunk>): string[] {
  const files = new Set<string>()
  const visit = (key: string) => {
    const chunk = manifest[key]
    if (!chunk || files.has(chunk.file)) return
    files.add(chunk.file)
    for (const i of chunk.imports ?? []) visit(i)
  }
  for (const [key, chunk] of Object.entries(manifest)) {
    if (chunk.isEntry || /(^|\/)kiosk\//.test(chunk.src ?? key)) visit(key)
  }
  return [...files].filter((f) => f.endsWith('.js'))
}

const row = (figure: string, met: boolean, data: string, rounds: string, notes: string[]): Row => ({
  scenario: 'kiosk bundle (JS, gzip -9)',
  data,
  figure,
  baseline: '—',
  ratio: '—',
  goal: `< ${GOAL_KB} KB gzipped`,
  met,
  rounds,
  notes,
})

export async function kioskBundleScenario(ctx: BenchContext): Promise<Row> {
  const theirs = await runScript('bench:bundle', [], {}, 180_000)
  const total = /kiosk JavaScript total: ([\d.]+) KB/.exec(theirs.output)
  if (theirs.present && total) {
    const kb = Number(total[1])
    ctx.log(`  kiosk bundle (npm run bench:bundle): ${kb} KB gzipped`)
    const kioskPart = theirs.output.split(/^villager page/m)[0]! // the /me entry is measured after the kiosk
    const counted = kioskPart
      .split('\n')
      .filter((l) => /^\s+[\d.]+ KB/.test(l))
      .map((l) => l.trim().replace(/\s+/g, ' '))
    return row(
      `${kb} KB`,
      kb < GOAL_KB,
      'vite production build of web/, measured by `npm run bench:bundle` (scripts/bundle-size.ts): entry + kiosk page and their static imports',
      'one build',
      [`from its output: ${counted.join('; ')}`],
    )
  }
  const fallback = theirs.present
    ? [`npm run bench:bundle gave no total (${theirs.note ?? 'exit ok'}); measured here instead`]
    : []
  return { ...(await ownMeasurement(ctx)), notes: fallback }
}

async function ownMeasurement(ctx: BenchContext): Promise<Row> {
  const out = resolve(DATA_DIR, 'web-build')
  rmSync(out, { recursive: true, force: true })
  const started = performance.now()
  execFileSync('npx', ['vite', 'build', '--outDir', out, '--emptyOutDir', '--manifest', '--logLevel', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const manifestFile = join(out, '.vite', 'manifest.json')
  if (!existsSync(manifestFile)) throw new Error('vite wrote no manifest')
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>
  const files = kioskChunks(manifest)
  const sizes = files.map((f) => {
    const bytes = readFileSync(join(out, f))
    return { f, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length }
  })
  const gz = sizes.reduce((s, x) => s + x.gz, 0)
  const raw = sizes.reduce((s, x) => s + x.raw, 0)
  const kioskSpecific = Object.entries(manifest).some(([k, c]) => /(^|\/)kiosk\//.test(c.src ?? k))
  ctx.log(
    `  kiosk bundle: ${fmt(gz / 1024, 1)} KB gzipped in ${files.length} files (built in ${fmt((performance.now() - started) / 1000)} s)`,
  )
  return row(
    `${fmt(gz / 1024, 1)} KB`,
    gz < GOAL_KB * 1024,
    `vite production build of web/; ${files.length} JS files: ${sizes.map((s) => `${s.f} ${fmt(s.gz / 1024, 1)} KB`).join(', ')}`,
    `${fmt(raw / 1024, 1)} KB before gzip`,
    kioskSpecific
      ? []
      : [
          'the build has no chunk of its own for web/kiosk/: the figure is the entry with all it imports (everything a first visit to /kiosk downloads)',
        ],
  )
}

const ME_GOAL_KB = 60

/**
 * The villager's phone page (/me), its own entry: what a cheap phone on a slow mobile connection downloads
 * before it can scan a card. Only `npm run bench:bundle` measures it (the me.html entry and its static imports).
 */
export async function villagerBundleScenario(_ctx: BenchContext): Promise<Row> {
  const theirs = await runScript('bench:bundle', [], {}, 180_000)
  const total = /villager page JavaScript total: ([\d.]+) KB/.exec(theirs.output)
  const base = {
    scenario: 'villager page /me bundle (JS, gzip -9)',
    baseline: '—',
    ratio: '—',
    goal: `< ${ME_GOAL_KB} KB gzipped`,
    rounds: 'one build',
  }
  if (!theirs.present || !total) {
    return {
      ...base,
      data: 'npm run bench:bundle',
      figure: 'not measured',
      met: false,
      notes: [theirs.note ?? 'no villager page total in the output'],
    }
  }
  const kb = Number(total[1])
  const mePart = theirs.output.split(/^villager page \(\/me\)/m)[1] ?? ''
  const counted = mePart
    .split('\n')
    .filter((l) => /^\s+[\d.]+ KB/.test(l))
    .map((l) => l.trim().replace(/\s+/g, ' '))
  return {
    ...base,
    data: 'vite production build of web/, measured by `npm run bench:bundle`: the me.html entry and its static imports',
    figure: `${kb} KB`,
    met: kb < ME_GOAL_KB,
    notes: [`from its output: ${counted.join('; ')}`],
  }
}
