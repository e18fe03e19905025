import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import SQLite from 'better-sqlite3'

/** What the figures were measured on: they mean little without it. */
export interface Machine {
  cpu: string
  cores: number
  memory: string
  node: string
  sqlite: string
  betterSqlite3: string
  os: string
  commit: string
  disk: string
}

function packageVersion(name: string): string {
  return (
    JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as {
      version: string
    }
  ).version
}

function safe(fn: () => string, fallback = 'unknown'): string {
  try {
    return fn().trim() || fallback
  } catch {
    return fallback
  }
}

export function describeMachine(dataDir: string): Machine {
  const mem = new SQLite(':memory:')
  const sqlite = (mem.prepare('select sqlite_version() as v').get() as { v: string }).v
  mem.close()
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    sqlite,
    betterSqlite3: packageVersion('better-sqlite3'),
    os:
      safe(() => readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]+)/m)?.[1] ?? '') +
      ` (${process.platform} ${process.arch})`,
    commit:
      safe(() => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' })) +
      (safe(() => execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }), '')
        ? ' + uncommitted changes'
        : ''),
    disk: safe(() =>
      execFileSync('df', ['-h', '--output=source,fstype,size', dataDir], { encoding: 'utf8' })
        .split('\n')[1]!
        .replace(/\s+/g, ' '),
    ),
  }
}
