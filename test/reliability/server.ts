import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The project root: the real server and the CLIs run from here, as `npm start` and `npm run …` would. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '')
export const ADMIN_PASSWORD = 'reliability-admin-pw'

/** A scratch folder under tmp/ (git-ignored) that imports resolve from. */
export function scratchDir(prefix: string): string {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true })
  return mkdtempSync(join(ROOT, 'tmp', `${prefix}-`))
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.on('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => ok(port))
    })
  })
}

export interface RunningServer {
  base: string
  child: ChildProcess
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>
  log: () => string
  kill: (signal: NodeJS.Signals) => void
}

/**
 * The real server (`tsx server/main.ts`, what `npm start` runs after building the web app) on `dbFile`,
 * bound to 127.0.0.1 on a free port; resolves once /api/health answers.
 */
export async function startServer(
  dbFile: string,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<RunningServer> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      GONGYI_DB: dbFile,
      GONGYI_ADMIN_PASSWORD: ADMIN_PASSWORD,
      GONGYI_REQUEST_LOG: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout!.on('data', (d) => {
    log = (log + d).slice(-20_000)
  })
  child.stderr!.on('data', (d) => {
    log = (log + d).slice(-20_000)
  })
  const exited = new Promise<number | string>((ok) => child.on('exit', (code, signal) => ok(code ?? signal ?? -1)))
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited during start:\n${log}`)
    try {
      if ((await fetch(`${base}/api/health`)).ok) break
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not start within ${timeoutMs} ms:\n${log}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    base,
    child,
    exited,
    log: () => log,
    kill: (signal) => {
      child.kill(signal)
    },
  }
}

export interface HttpRes {
  status: number
  body: any
  text: string
}

/** A small HTTP client over fetch for the real server. */
export function client(base: string) {
  async function call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers: Record<string, string> = {},
  ): Promise<HttpRes> {
    const h: Record<string, string> = { ...headers }
    if (token) h.authorization = `Bearer ${token}`
    let payload: string | undefined
    if (typeof body === 'string') payload = body
    else if (body !== undefined) {
      payload = JSON.stringify(body)
      h['content-type'] ??= 'application/json'
    }
    const res = await fetch(base + path, { method, headers: h, body: payload })
    const text = await res.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {}
    return { status: res.status, body: json, text }
  }
  return {
    call,
    get: (p: string, token?: string) => call('GET', p, undefined, token),
    post: (p: string, b: unknown, token?: string, headers?: Record<string, string>) =>
      call('POST', p, b, token, headers),
    async login(username: string, password: string): Promise<string> {
      const res = await call('POST', '/api/auth/login', { username, password })
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`)
      return res.body.token
    },
  }
}

/** Runs one of the project's CLIs (server/cli/*.ts) to the end: its exit code and everything it printed. */
export function runCli(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.on('exit', (code) => ok({ code: code ?? -1, output }))
  })
}
