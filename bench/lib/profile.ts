import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
import { summarise } from '../profile-summary.js'
import { login, startServer } from './server.js'

/*
 * When a goal is missed the runner profiles one more round (node --cpu-prof for a server, the inspector for
 * work in this process) and puts the hottest functions next to the figure, so the gap comes with its cause.
 */

export function profileLines(file: string, top = 8): string[] {
  const s = summarise(file, top)
  const row = (l: { name: string; where: string; share: number }) =>
    `${(l.share * 100).toFixed(1)}% ${l.name} (${l.where || 'native'})`
  return [
    `profile (${file}): self time — ${s.self.map(row).join('; ')}`,
    `project code, total time — ${s.total.map(row).join('; ')}`,
  ]
}

/**
 * tsx loads modules through a worker thread, which writes a profile of its own: the server's work is in the
 * largest one.
 */
export function mainThreadProfile(dir: string): string | null {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0] ?? null
}

/** Starts a server under --cpu-prof, runs `load` against it, stops it and summarises the profile. */
export async function profileServer(
  dir: string,
  db: string,
  user: { username: string; password: string } | null,
  load: (url: string, token: string) => Promise<unknown>,
): Promise<string[]> {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const server = await startServer(db, { cpuProfileDir: dir })
  try {
    const token = user ? await login(server.url, user.username, user.password) : ''
    await load(server.url, token)
  } finally {
    await server.stop()
  }
  const main = mainThreadProfile(dir)
  return main ? profileLines(main) : [`no profile was written in ${dir}`]
}

/** Profiles work done in this process with the inspector. */
export async function profileHere(dir: string, name: string, work: () => Promise<unknown>): Promise<string[]> {
  mkdirSync(dir, { recursive: true })
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  try {
    await work()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    session.disconnect()
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile))
  }
  return profileLines(join(dir, `${name}.cpuprofile`))
}
