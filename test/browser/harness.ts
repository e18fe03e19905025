import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import QRCode from 'qrcode'
import { createPgDatabase, onPostgres } from '../db.js'

/*
 * Browser tests drive the real thing: the web app built by Vite, served by the real server (server/main.ts)
 * on a free port with a fresh database, in Debian's Chromium. Each test file builds into its own folder, so
 * a colleague's `npm start` rebuilding dist/web at the same moment cannot pull the files out from under it.
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const CHROMIUM = '/usr/bin/chromium'
export const ADMIN_PASSWORD = 'browser-test-admin'
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots')
export const VIEWPORTS = [
  { width: 1024, height: 600 }, // the counter tablet
  { width: 1366, height: 768 }, // the office PC
] as const

/**
 * Without Chromium the browser tests skip on a developer's machine, but never in CI (.ci/run installs it):
 * there a missing browser must fail the run, not pass it untested.
 */
export const hasChromium = existsSync(CHROMIUM)
if (!hasChromium && process.env.CI)
  throw new Error(`CI needs ${CHROMIUM} for the browser tests (apt-get install chromium)`)

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => res(port))
    })
    srv.on('error', rej)
  })
}

export interface Gongyi {
  base: string
  dir: string
  /** The server's database (SQLite file or PostgreSQL URL), for a test that must set up what the API cannot. */
  database: string
  api: Api
  stop(): Promise<void>
}

/**
 * Builds the web app into a private folder and starts the server there; resolves once /api/health answers.
 * `env` adds settings that may name the port (GONGYI_TLS, GONGYI_PUBLIC_URL); with TLS on, `base` stays the
 * plain-HTTP address, which the server keeps answering for this PC itself (loopback).
 */
export async function startGongyi(opts: { env?: (port: number) => Record<string, string> } = {}): Promise<Gongyi> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, 'tmp', 'browser-'))
  execFileSync(
    join(ROOT, 'node_modules/.bin/vite'),
    ['build', '--logLevel', 'warn', '--outDir', join(dir, 'dist/web'), '--emptyOutDir'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  )
  const port = await freePort()
  // With GONGYI_TEST_PG (npm run test:pg) the server runs on a fresh PostgreSQL database of its own.
  const pgDb = onPostgres ? await createPgDatabase('gongyi_browser') : null
  // cwd is the private folder: the server serves ./dist/web from there.
  const database = pgDb?.url ?? join(dir, 'gongyi.db')
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'server/main.ts')], {
    cwd: dir,
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      GONGYI_DB: pgDb?.url ?? join(dir, 'gongyi.db'),
      GONGYI_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...opts.env?.(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout!.on('data', (d) => (log += d))
  child.stderr!.on('data', (d) => (log += d))
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${log}`)
    try {
      if ((await fetch(`${base}/api/health`)).ok) break
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not start: ${log}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      try {
        process.kill(-child.pid!, 'SIGTERM') // the group: tsx and the node process it runs
      } catch {}
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
    }
    rmSync(dir, { recursive: true, force: true })
    await pgDb?.drop()
  }
  return { base, dir, database, api: new Api(base), stop }
}

/** The HTTP API, for setting up a village and checking what the pages did. */
export class Api {
  constructor(readonly base: string) {}

  async call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const h: Record<string, string> = { ...headers }
    if (token) h.authorization = `Bearer ${token}`
    if (body !== undefined) h['content-type'] ??= 'application/json'
    const res = await fetch(this.base + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    let json: any = text
    try {
      json = JSON.parse(text)
    } catch {}
    return { status: res.status, body: json }
  }

  /** A call that must succeed: the test's setup, not what it checks. */
  async ok<T = any>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<T> {
    const res = await this.call<T>(method, path, body, token, headers)
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }

  async login(username: string, password: string): Promise<string> {
    return (await this.ok<{ token: string }>('POST', '/api/auth/login', { username, password })).token
  }
}

export interface VillageSetup {
  vid: string
  admin: string
  /** token and password by role (approver2 is a second approver) */
  tokens: Record<string, string>
  logins: Record<string, { username: string; password: string }>
}

let counter = 0
/** A village with one user per role, through the API. */
export async function setUpVillage(api: Api, fields: Record<string, unknown> = {}): Promise<VillageSetup> {
  const admin = await api.login('admin', ADMIN_PASSWORD)
  const code = `BT${Date.now().toString(36)}${counter++}`
  const village = await api.ok('POST', '/api/villages', { code, name: '幸福村', noticeDays: 0, ...fields }, admin)
  const tokens: Record<string, string> = { admin }
  const logins: VillageSetup['logins'] = {}
  for (const role of ['clerk', 'approver', 'approver2', 'cashier', 'auditor']) {
    const username = `${role}-${code}`.toLowerCase()
    const password = `password-${role}`
    await api.ok(
      'POST',
      '/api/users',
      { username, password, roles: [role.replace(/\d$/, '')], villageId: village.id },
      admin,
    )
    logins[role] = { username, password }
    tokens[role] = await api.login(username, password)
  }
  return { vid: village.id, admin, tokens, logins }
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']

export async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] })
}

/** Logs in through the login page, as a person would. */
export async function logIn(page: Page, base: string, login: { username: string; password: string }) {
  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(login.username)
  await page.getByLabel('密码').fill(login.password)
  await page.getByRole('button', { name: '登录' }).click()
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const { width, height } = page.viewportSize()!
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}x${height}.png`) })
}

/**
 * A Y4M video (what Chromium's fake camera plays) of a card held up to the camera: the QR of `code` drawn
 * from its module matrix, `scale` pixels a module, on a grey counter. Y4M is a text header, then per frame
 * "FRAME\n" and the Y, U, V planes (4:2:0); U = V = 128 is grey.
 */
export function cardVideo(
  code: string,
  file: string,
  opts: { width?: number; height?: number; scale?: number; frames?: number } = {},
) {
  const W = opts.width ?? 640
  const H = opts.height ?? 480
  const scale = opts.scale ?? 5
  const qr = QRCode.create(code, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const quiet = 4
  const side = (n + 2 * quiet) * scale
  const ox = Math.floor((W - side) / 2)
  const oy = Math.floor((H - side) / 2)
  const y = Buffer.alloc(W * H, 110) // the counter top
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const mx = Math.floor(px / scale) - quiet
      const my = Math.floor(py / scale) - quiet
      const dark = mx >= 0 && my >= 0 && mx < n && my < n && qr.modules.get(my, mx)
      y[(oy + py) * W + ox + px] = dark ? 20 : 235
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128)
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma])
  const frames = opts.frames ?? 5
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`)
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]))
}
