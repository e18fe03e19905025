import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from '../reliability/server.js'

/*
 * The primary + standby pair of scripts/pg-replica.sh, driven from a test without blocking its event loop (the
 * counters keep selling while a node is killed or promoted), each step bounded so a stuck step fails the test
 * with the script's output instead of hanging it.
 */
export const REPLICA_TESTS = process.env.GONGYI_TEST_REPLICA === '1'

export interface PairUrls {
  primary: string
  standby: string
  both: string
}

export function replicaPair(name: string) {
  const state = join(ROOT, 'tmp', `pg-replica-${name}-${process.pid}.env`)
  const run = (cmd: string, timeoutMs = 180_000) =>
    new Promise<string>((ok, fail) => {
      const child = spawn('bash', [join(ROOT, 'scripts/pg-replica.sh'), cmd], {
        env: { ...process.env, GONGYI_PG_REPLICA_STATE: state },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.on('data', (d) => {
        out += d
      })
      child.stderr.on('data', (d) => {
        out += d
      })
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      child.on('exit', (code, signal) => {
        clearTimeout(timer)
        if (code === 0) ok(out.trim())
        else
          fail(new Error(`pg-replica.sh ${cmd}: ${signal ? `killed after ${timeoutMs} ms` : `exit ${code}`}\n${out}`))
      })
    })
  const urls = (text: string): PairUrls => {
    const get = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(text)?.[1] ?? ''
    return { primary: get('PRIMARY_URL'), standby: get('STANDBY_URL'), both: get('BOTH_URL') }
  }
  return {
    start: async () => urls(await run('start')),
    urls: async () => urls(await run('urls')),
    run,
    stop: () => run('stop', 60_000).catch(() => ''),
  }
}
