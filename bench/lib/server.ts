import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

/*
 * A Gongyi server (or a bare comparison server) in its own process on loopback, the way `npm start` runs it
 * minus the web build. The benchmark client lives in the parent process, so client and server each have a core.
 */

export interface RunningServer {
  url: string
  child: ChildProcess
  /** Time from spawn until /api/health (or the given path) first answered 200, in ms. */
  readyMs: number
  /** Peak resident memory of the server process so far (VmHWM), in bytes. */
  peakRss(): number
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : NaN
  } catch {
    return NaN
  }
}

export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before answering`)
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      if (res.ok) return
    } catch {}
    if (performance.now() > deadline) throw new Error(`no answer from ${url} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export interface StartOptions {
  /** The command; default: node with tsx running server/main.ts. */
  command?: string[]
  env?: Record<string, string>
  healthPath?: string
  timeoutMs?: number
  /** Write a CPU profile of the server into this directory (node --cpu-prof). */
  cpuProfileDir?: string
}

export async function startServer(db: string | null, o: StartOptions = {}): Promise<RunningServer> {
  const port = await freePort()
  const base = o.command ?? [process.execPath, '--import', 'tsx', 'server/main.ts']
  const [cmd, ...args] =
    o.cpuProfileDir && base[0] === process.execPath
      ? [base[0], `--cpu-prof`, `--cpu-prof-dir=${o.cpuProfileDir}`, ...base.slice(1)]
      : base
  const started = performance.now()
  const child = spawn(cmd!, args, {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(db ? { GONGYI_DB: db } : {}),
      GONGYI_ADMIN_PASSWORD: 'bench-admin-password',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: npx and tsx start children of their own, and stopping must reach them all.
    detached: true,
  })
  let output = ''
  child.stdout!.on('data', (d) => (output = (output + d).slice(-4000)))
  child.stderr!.on('data', (d) => (output = (output + d).slice(-4000)))
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForHttp(url + (o.healthPath ?? '/api/health'), o.timeoutMs ?? 60_000, child)
  } catch (err) {
    killGroup(child, 'SIGKILL')
    throw new Error(`${(err as Error).message}\n${output}`)
  }
  const readyMs = performance.now() - started
  return {
    url,
    child,
    readyMs,
    peakRss: () => procStatus(child.pid!, 'VmHWM'),
    stop: () => stopChild(child),
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal)
  } catch {
    child.kill(signal)
  }
}

/** SIGTERM to the server's process group (it shuts down gracefully and, under --cpu-prof, writes its profile), SIGKILL after 15 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => killGroup(child, 'SIGKILL'), 15_000)
    child.once('exit', () => {
      clearTimeout(force)
      // npx/tsx parents may exit before their child: make sure nothing of the group is left running.
      setTimeout(() => {
        killGroup(child, 'SIGKILL')
        resolve()
      }, 50)
    })
    killGroup(child, 'SIGTERM')
  })
}

export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  const body = (await res.json()) as { token?: string }
  if (!res.ok || !body.token) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`)
  return body.token
}
