import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/*
 * The generated databases the scenarios run on. They are made by `bench/data.ts` (npm run bench:data) in
 * child processes, side by side (one per core), and kept in data/bench/ with a key of the arguments and the
 * generator's source, so a second `npm run bench` reuses them. Scenarios work on copies, never on these.
 */

export type Size = 'quick' | 'standard' | 'full'

export interface Dataset {
  name: string
  file: string
  args: string[]
  /** How the table describes it. */
  label: string
}

export interface ReadyDataset extends Dataset {
  generatedSeconds: number
  reused: boolean
  summary: string
}

export const DATA_DIR = 'data/bench'

export function datasets(size: Size): { county: Dataset; big: Dataset } {
  const households = size === 'quick' ? 5200 : 52000
  const villages = size === 'quick' ? 12 : 120
  const months = size === 'full' ? 12 : size === 'quick' ? 1 : 2
  return {
    county: {
      name: 'county',
      file: join(DATA_DIR, `county-${size}.db`),
      args: [
        '--villages',
        String(villages),
        '--households',
        String(households),
        '--months',
        String(months),
        '--prefix',
        'BX',
      ],
      label: `county: ${villages} villages, ${households.toLocaleString('en')} households, ${months} month${months > 1 ? 's' : ''} of activity`,
    },
    big: {
      name: 'big-village',
      file: join(DATA_DIR, `big-village-${size}.db`),
      // 17 extra rounds over ~95% of households make a month of about 19 entries per household.
      args: [
        '--villages',
        '1',
        '--households',
        String(households),
        '--months',
        '1',
        '--extra-rounds',
        '17',
        '--notice-days',
        '0',
        '--prefix',
        'BIG',
      ],
      label: `one village of ${households.toLocaleString('en')} households, one month of ~${Math.round((households * 19.4) / 1000).toLocaleString('en')}k entries`,
    },
  }
}

function sourceKey(args: string[]): string {
  const h = createHash('sha256').update(JSON.stringify(args))
  for (const dir of ['scripts/demo', 'db/migrations']) {
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .sort())
      h.update(f).update(readFileSync(join(dir, f)))
  }
  h.update(readFileSync('bench/data.ts'))
  return h.digest('hex').slice(0, 16)
}

interface KeyFile {
  key: string
  seconds: number
  summary: string
}

function generateOne(d: Dataset, key: string, log: (line: string) => void): Promise<ReadyDataset> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/data.ts', ...d.args, '--out', d.file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let lastNote = 0
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c: Buffer) => {
      // The generator's progress bar, thinned to a line every 20 s per dataset.
      const now = performance.now()
      if (now - lastNote > 20_000) {
        lastNote = now
        const last = c
          .toString()
          .split(/[\r\n]/)
          .filter(Boolean)
          .pop()
        if (last) log(`  ${d.name}: ${last.trim()}`)
      }
    })
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`generating ${d.file} failed (${code}):\n${out}`))
      const seconds = (performance.now() - started) / 1000
      const summary = out.trim().split('\n')[0] ?? ''
      writeFileSync(`${d.file}.key`, JSON.stringify({ key, seconds, summary } satisfies KeyFile))
      resolve({ ...d, generatedSeconds: seconds, reused: false, summary })
    })
  })
}

/** The datasets, generated in parallel where missing or stale. */
export async function ensureDatasets(list: Dataset[], log: (line: string) => void): Promise<ReadyDataset[]> {
  mkdirSync(DATA_DIR, { recursive: true })
  return Promise.all(
    list.map(async (d) => {
      const key = sourceKey(d.args)
      const stored =
        existsSync(`${d.file}.key`) && existsSync(d.file)
          ? (JSON.parse(readFileSync(`${d.file}.key`, 'utf8')) as KeyFile)
          : null
      if (stored?.key === key) {
        log(`reusing ${d.file} (generated earlier in ${stored.seconds.toFixed(0)} s)`)
        return { ...d, generatedSeconds: stored.seconds, reused: true, summary: stored.summary }
      }
      log(`generating ${d.file}: npm run bench:data -- ${d.args.join(' ')}`)
      return generateOne(d, key, log)
    }),
  )
}

/** A scratch copy of a dataset for scenarios that write. */
export function workingCopy(d: Dataset, name: string): string {
  const file = join(DATA_DIR, `work-${name}.db`)
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  copyFileSync(d.file, file)
  return file
}

export function removeWorkingCopy(file: string) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
}
