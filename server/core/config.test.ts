import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ConfigError, DEFAULT_DB_FILE, parseConfig } from './config.js'

const dir = mkdtempSync(join(tmpdir(), 'gongyi-config-'))
const problems = (env: Record<string, string>, writableDb = false) => {
  try {
    parseConfig(env, { writableDb })
    return []
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    return err.problems
  }
}

describe('configuration', () => {
  test('defaults: the ones API.md names, and everything optional unset', () => {
    expect(parseConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dbFile: DEFAULT_DB_FILE,
      dbReplica: undefined,
      replicaMaxLagMs: 5000,
      workers: 1,
      adminPassword: undefined,
      keyDir: 'data/keys',
      backupDir: undefined,
      backups: true,
      corsOrigin: undefined,
      requestLog: true,
      tls: 'auto',
      tlsCert: undefined,
      tlsKey: undefined,
      publicUrl: undefined,
    })
  })

  test('GONGYI_WORKERS: a whole number from 1 to 64, and more than one only with PostgreSQL', () => {
    expect(parseConfig({ GONGYI_DB: 'postgres://u:p@db/gongyi', GONGYI_WORKERS: '4' }).workers).toBe(4)
    expect(() => parseConfig({ GONGYI_WORKERS: '4' })).toThrow(/GONGYI_WORKERS=4: several processes need PostgreSQL/)
    for (const bad of ['0', '65', 'two', '1.5'])
      expect(() => parseConfig({ GONGYI_DB: 'postgres://u:p@db/g', GONGYI_WORKERS: bad })).toThrow(/GONGYI_WORKERS/)
  })

  // Issue 20: a hot standby for the reads that can wait.
  test('GONGYI_DB_REPLICA: a postgres URL, only beside a PostgreSQL primary; GONGYI_REPLICA_MAX_LAG_MS in ms', () => {
    const c = parseConfig({
      GONGYI_DB: 'postgres://u:p@db1:5432,db2:5432/g',
      GONGYI_DB_REPLICA: 'postgres://u:p@db2:5432/g',
      GONGYI_REPLICA_MAX_LAG_MS: '800',
    })
    expect(c).toMatchObject({ dbReplica: 'postgres://u:p@db2:5432/g', replicaMaxLagMs: 800 })
    expect(() => parseConfig({ GONGYI_DB_REPLICA: 'postgres://u:p@db2/g' })).toThrow(
      /GONGYI_DB_REPLICA: a standby needs GONGYI_DB/,
    )
    expect(() => parseConfig({ GONGYI_DB: 'postgres://u:p@db/g', GONGYI_DB_REPLICA: 'db2.sqlite' })).toThrow(
      /GONGYI_DB_REPLICA must be a postgres/,
    )
    expect(() => parseConfig({ GONGYI_DB: 'postgres://u:p@db/g', GONGYI_REPLICA_MAX_LAG_MS: '5s' })).toThrow(
      /GONGYI_REPLICA_MAX_LAG_MS/,
    )
  })

  test('good values are read; an empty value counts as unset', () => {
    const c = parseConfig(
      {
        PORT: '9090',
        HOST: '0.0.0.0',
        GONGYI_DB: join(dir, 'a', 'b.db'),
        GONGYI_ADMIN_PASSWORD: 'secret-pass',
        GONGYI_BACKUP_DIR: '/mnt/usb',
        GONGYI_BACKUPS: 'off',
        GONGYI_CORS_ORIGIN: 'http://a.example',
        GONGYI_REQUEST_LOG: 'off',
        GONGYI_TLS: 'on',
        GONGYI_TLS_CERT: 'c.pem',
        GONGYI_TLS_KEY: 'k.pem',
        GONGYI_PUBLIC_URL: 'https://gongyi.example/',
        HOST_EXTRA: 'x',
      },
      { writableDb: true },
    )
    expect(c).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      backups: false,
      requestLog: false,
      tls: 'on',
      tlsCert: 'c.pem',
      publicUrl: 'https://gongyi.example/',
    })
    expect(parseConfig({ PORT: '', GONGYI_BACKUPS: '' })).toMatchObject({ port: 8080, backups: true })
  })

  test('a bad value is named with what is wrong, every one at once', () => {
    expect(problems({ PORT: 'abc' })).toEqual(['PORT="abc": PORT must be a TCP port number (0-65535)'])
    expect(problems({ PORT: '70000', GONGYI_TLS: 'yes', GONGYI_BACKUPS: 'no' })).toHaveLength(3)
    expect(problems({ GONGYI_PUBLIC_URL: 'gongyi.example' })[0]).toMatch(/^GONGYI_PUBLIC_URL=/)
    expect(problems({ GONGYI_TLS_CERT: 'c.pem' })[0]).toMatch(/GONGYI_TLS_CERT and GONGYI_TLS_KEY/)
  })

  test('a database folder that cannot be written is refused when the server needs one', () => {
    const file = join(dir, 'not-a-folder')
    writeFileSync(file, '')
    expect(problems({ GONGYI_DB: join(file, 'gongyi.db') }, true)[0]).toMatch(/^GONGYI_DB=.*is not a folder/)
    // /proc refuses new files even to root, which permission bits would not show.
    expect(problems({ GONGYI_DB: '/proc/gongyi/gongyi.db' }, true)[0]).toMatch(/^GONGYI_DB=.*not writable/)
    expect(problems({ GONGYI_DB: dir }, true)[0]).toMatch(/is a folder/)
    expect(problems({ GONGYI_DB: join(file, 'gongyi.db') }, false)).toEqual([])
  })

  test('the server refuses to start on PORT=abc: a message naming it and a non-zero exit', () => {
    const root = resolve(import.meta.dirname, '../..')
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'abc', GONGYI_DB: join(dir, 'never.db') },
      encoding: 'utf8',
      timeout: 100_000,
    })
    expect(run.status).not.toBe(0)
    expect(run.status).not.toBeNull()
    expect(run.stderr).toContain('PORT="abc"')
    expect(run.stderr).toContain('TCP port')
  }, 120_000)
})
