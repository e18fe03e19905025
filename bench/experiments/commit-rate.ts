import { rmSync } from 'node:fs'
import SQLite from 'better-sqlite3'

/*
 * How many transactions a second one SQLite file commits on this disk: the ceiling of any single-writer
 * design (each redemption is one commit). One small insert per transaction, WAL, for 3 s each with
 * synchronous=FULL (what Gongyi runs) and NORMAL (for comparison).
 *
 *   npx tsx bench/experiments/commit-rate.ts [file]
 */
const file = process.argv[2] ?? 'data/bench/commit-rate.db'
for (const mode of ['FULL', 'NORMAL']) {
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true })
  const db = new SQLite(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${mode}`)
  db.exec('create table t (id integer primary key, v text)')
  const insert = db.prepare('insert into t (v) values (?)')
  const once = db.transaction(() => insert.run('x'.repeat(200)))
  const started = performance.now()
  let n = 0
  while (performance.now() - started < 3000) {
    once()
    n++
  }
  console.log(
    JSON.stringify({ synchronous: mode, commitsPerSecond: Math.round(n / ((performance.now() - started) / 1000)) }),
  )
  db.close()
}
for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true })
