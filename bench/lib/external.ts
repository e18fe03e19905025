import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

/*
 * The feature teams' own benchmark scripts (bench:redemption, bench:export, bench:bundle), run as they are
 * when package.json has them, each bounded in time. Their output is kept; JSON lines in it are parsed.
 */

export interface ExternalRun {
  script: string
  present: boolean
  ok: boolean
  seconds: number
  output: string
  json: Record<string, unknown>[]
  note?: string
}

export function hasScript(name: string): boolean {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts?: Record<string, string> }
  return Boolean(pkg.scripts?.[name])
}

export function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ExternalRun> {
  if (!hasScript(script))
    return Promise.resolve({ script, present: false, ok: false, seconds: 0, output: '', json: [] })
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let output = ''
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000))
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {}
    }, timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      const json = output
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>]
          } catch {
            return []
          }
        })
      resolve({
        script,
        present: true,
        ok: code === 0 && !timedOut,
        seconds: (performance.now() - started) / 1000,
        output,
        json,
        ...(timedOut
          ? {
              note: `stopped after ${Math.round(timeoutMs / 1000)} s (the whole npm run bench must stay under 10 minutes)`,
            }
          : code
            ? { note: `exited with ${code}` }
            : {}),
      })
    })
  })
}
