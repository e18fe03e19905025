import { accessSync, constants, existsSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { z } from 'zod'

/*
 * The server's whole configuration, read once from the environment and checked at start: the one place in
 * server/ and db/ that reads process.env. A bad value stops the start with a message naming the variable.
 * API.md lists the variables the contract fixes; the others are the installation's own.
 */

export const DEFAULT_DB_FILE = './data/gongyi.db'

const onOff = (name: string) => z.enum(['on', 'off'], { error: `${name} must be "on" or "off"` }).optional()

const text = z.string().trim().min(1).optional()

const schema = z.object({
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'PORT must be a TCP port number (0-65535)')
    .transform(Number)
    .refine((n) => n <= 65535, 'PORT must be a TCP port number (0-65535)')
    .default(8080),
  HOST: z.string().trim().min(1, 'HOST must not be empty').default('127.0.0.1'),
  GONGYI_DB: z.string().trim().min(1, 'GONGYI_DB must not be empty').default(DEFAULT_DB_FILE),
  GONGYI_ADMIN_PASSWORD: z.string().optional(),
  GONGYI_BACKUP_DIR: text,
  GONGYI_KEY_DIR: text,
  GONGYI_BACKUPS: onOff('GONGYI_BACKUPS'),
  GONGYI_CORS_ORIGIN: text,
  GONGYI_REQUEST_LOG: onOff('GONGYI_REQUEST_LOG'),
  GONGYI_WORKERS: z
    .string()
    .regex(/^\d{1,2}$/, 'GONGYI_WORKERS must be a whole number from 1 to 64')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 64, 'GONGYI_WORKERS must be a whole number from 1 to 64')
    .default(1),
  // A hot standby for the reads that can wait (db/replica.ts), and how far behind it may be before the primary serves them.
  GONGYI_DB_REPLICA: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//i, 'GONGYI_DB_REPLICA must be a postgres:// URL (a hot standby of GONGYI_DB)')
    .optional(),
  GONGYI_REPLICA_MAX_LAG_MS: z
    .string()
    .regex(/^\d{1,9}$/, 'GONGYI_REPLICA_MAX_LAG_MS must be a whole number of milliseconds')
    .transform(Number)
    .default(5000),
  // Read now, used by later work: HTTPS (API.md "Starting the server") and the address printed on cards.
  GONGYI_TLS: z.enum(['on', 'off', 'auto'], { error: 'GONGYI_TLS must be "on", "off" or "auto"' }).default('auto'),
  GONGYI_TLS_CERT: text,
  GONGYI_TLS_KEY: text,
  GONGYI_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'GONGYI_PUBLIC_URL must be an http(s) URL' }).optional(),
})

export interface Config {
  port: number
  host: string
  /** SQLite file, or a postgres:// URL (the database must exist); created and migrated on start. */
  dbFile: string
  /** PostgreSQL only: a hot standby's URL for monthly exports, boards, passbooks, the roll-up, summaries, verification. */
  dbReplica: string | undefined
  /** Over this lag (ms) the standby is passed over and the primary serves those reads. */
  replicaMaxLagMs: number
  /** PostgreSQL only: server processes sharing the port (node:cluster). */
  workers: number
  /** On a database with no admin yet, `admin` gets this password; unset: one is generated and printed once. */
  adminPassword: string | undefined
  /**
   * Folder of the ledger checkpoint key (issue 13), never inside the database: GONGYI_KEY_DIR, else `keys/`
   * beside the SQLite file, else (PostgreSQL) `./data/keys` on the server's disk; null for ':memory:' (a
   * throwaway key).
   */
  keyDir: string | null
  /** Where daily backups go; unset: `backups/` beside the database file. */
  backupDir: string | undefined
  /** Daily backups (GONGYI_BACKUPS=off turns them off, e.g. when the disk is backed up otherwise). */
  backups: boolean
  /** Comma-separated origins allowed to call the API from another origin; unset: none. */
  corsOrigin: string | undefined
  /** One JSON line per request on stdout (GONGYI_REQUEST_LOG=off turns it off). */
  requestLog: boolean
  /** Not used yet: on | off | auto (HTTPS when HOST is not a loopback address). */
  tls: 'on' | 'off' | 'auto'
  /** Not used yet: PEM certificate and key files to serve. */
  tlsCert: string | undefined
  tlsKey: string | undefined
  /** The address villagers' phones reach the server at: cards then carry the /me link (shared/card-link.ts). */
  publicUrl: string | undefined
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`bad configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export interface ConfigOptions {
  /** Check that the database's folder can be created and written (the server; not a read-only CLI). */
  writableDb?: boolean
}

/** Parses the environment; throws ConfigError naming every bad variable. Empty strings count as unset. */
export function parseConfig(env: Record<string, string | undefined>, opts: ConfigOptions = {}): Config {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(given)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${String(i.path[0] ?? '')}=${JSON.stringify(given[String(i.path[0])] ?? '')}: ${i.message}`,
      ),
    )
  }
  const e = parsed.data
  if ((e.GONGYI_TLS_CERT === undefined) !== (e.GONGYI_TLS_KEY === undefined)) {
    throw new ConfigError(['GONGYI_TLS_CERT and GONGYI_TLS_KEY: give both or neither'])
  }
  if (e.GONGYI_WORKERS > 1 && !/^postgres(ql)?:\/\//.test(e.GONGYI_DB)) {
    throw new ConfigError([
      `GONGYI_WORKERS=${e.GONGYI_WORKERS}: several processes need PostgreSQL (GONGYI_DB=postgres://…); SQLite is served by one`,
    ])
  }
  if (e.GONGYI_DB_REPLICA && !/^postgres(ql)?:\/\//.test(e.GONGYI_DB)) {
    throw new ConfigError(['GONGYI_DB_REPLICA: a standby needs GONGYI_DB to be its PostgreSQL primary (postgres://…)'])
  }
  if (opts.writableDb) {
    const problem = unwritable(e.GONGYI_DB)
    if (problem) throw new ConfigError([`GONGYI_DB=${JSON.stringify(e.GONGYI_DB)}: ${problem}`])
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dbFile: e.GONGYI_DB,
    dbReplica: e.GONGYI_DB_REPLICA,
    replicaMaxLagMs: e.GONGYI_REPLICA_MAX_LAG_MS,
    workers: e.GONGYI_WORKERS,
    adminPassword: e.GONGYI_ADMIN_PASSWORD,
    keyDir: e.GONGYI_KEY_DIR ?? defaultKeyDir(e.GONGYI_DB),
    backupDir: e.GONGYI_BACKUP_DIR,
    backups: e.GONGYI_BACKUPS !== 'off',
    corsOrigin: e.GONGYI_CORS_ORIGIN,
    requestLog: e.GONGYI_REQUEST_LOG !== 'off',
    tls: e.GONGYI_TLS,
    tlsCert: e.GONGYI_TLS_CERT,
    tlsKey: e.GONGYI_TLS_KEY,
    publicUrl: e.GONGYI_PUBLIC_URL,
  }
}

/**
 * The checkpoint key's folder when GONGYI_KEY_DIR is unset: beside the SQLite file (a copy of the file does not
 * carry it); for PostgreSQL, whose data lives in another process, `keys/` beside the default database path, on
 * the server's own disk (a dump of the database does not carry it either).
 */
export function defaultKeyDir(db: string): string | null {
  if (db === ':memory:') return null
  return join(dirname(/^postgres(ql)?:\/\//.test(db) ? DEFAULT_DB_FILE : db), 'keys')
}

/** The key folder for another database than the configured one (`npm run verify -- --db COPY`). */
export function keyDirForDb(db: string): string | null {
  return process.env.GONGYI_KEY_DIR || defaultKeyDir(db)
}

/**
 * Why the database file could not be created or written there, or null when it can. Tried for real (a probe
 * file written and removed in the nearest folder that exists), since permission bits do not tell for root or
 * a read-only disk.
 */
function unwritable(file: string): string | null {
  if (file === ':memory:' || /^postgres(ql)?:\/\//.test(file)) return null
  const path = resolve(file)
  if (existsSync(path) && statSync(path).isDirectory()) return 'is a folder, not a database file'
  // The nearest folder that exists is where the rest of the path and the file will be created.
  let dir = dirname(path)
  while (!existsSync(dir)) dir = dirname(dir)
  if (!statSync(dir).isDirectory()) return `${dir} is not a folder`
  const probe = join(dir, `.gongyi-write-test-${process.pid}`)
  try {
    writeFileSync(probe, '')
    rmSync(probe, { force: true })
  } catch (err) {
    return `the folder ${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`
  }
  if (existsSync(path)) {
    try {
      accessSync(path, constants.W_OK)
    } catch {
      return 'the file is not writable'
    }
  }
  return null
}

/**
 * The configuration of this process, from process.env. On a bad value prints what is wrong and exits with
 * code 2: a server must not start half-configured.
 */
export function loadConfig(opts: ConfigOptions = {}): Config {
  try {
    return parseConfig(process.env, opts)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`gongyi: ${err.message}`)
    process.exit(2)
  }
}
