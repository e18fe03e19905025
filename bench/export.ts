/*
 * Benchmark of the monthly export at county size (issue 6): 50,000 households and 1,000,000 ledger entries
 * in one month. Not a test: run it with `npm run bench:export` and copy the figures into BENCHMARKS.md.
 *
 *   npx tsx bench/export.ts [--households 50000] [--entries 1000000] [--keep]
 *
 * 1. Generates the month into a temporary SQLite file with raw prepared inserts in a few transactions. The
 *    data is a real ledger, not export-only filler: each entry has its two postings, its balance_after and
 *    its place in the hash chain (entryHash), and account balances match, so ledger/verify passes on it.
 * 2. Runs each export (csv, xlsx, json) in a fresh child process through the HTTP app, reads the stream to
 *    the end, and reports wall time, bytes and the child's peak RSS (resourceUsage().maxRSS), so the
 *    generator's own memory never counts. Goals: csv < 10 s and < 300 MB peak; xlsx < 60 s.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { migrateToLatest, openSqlite } from '../db/database.js'
import { newId } from '../db/ids.js'
import type { EntryKind, Row } from '../db/schema.js'
import { createApp } from '../server/app.js'
import { AuditLog } from '../server/audit/audit.service.js'
import { bootstrapAdmin } from '../server/auth/auth.service.js'
import { loadSecrets } from '../server/auth/secrets.js'
import { entryHash, GENESIS } from '../server/ledger/hash-chain.js'
import { householdAccount, systemAccount, type SystemAccount } from '../server/ledger/ledger.service.js'
import { monthRange, previousMonth } from '../shared/time.js'

const MONTH = '2026-03'
const TZ = 'Asia/Shanghai'
const ADMIN_PASSWORD = 'bench-admin-password'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const argText = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}

/** A small deterministic PRNG (mulberry32), so every run generates the same county. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢',
]
const GIVEN = [...'建国华明丽芳军伟秀英强敏静磊洋勇艳杰娟涛超霞平刚桂兰玉梅红春海林文德福贵荣']

async function generate(file: string, households: number, entries: number) {
  const started = performance.now()
  const { db, sqlite, close } = openSqlite(file)
  await migrateToLatest(db)
  await bootstrapAdmin(db, ADMIN_PASSWORD)
  const rand = prng(42)
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!
  const villageId = newId()
  const created = '2025-12-01T00:00:00.000Z'
  const clerk = newId()

  const rules = Array.from({ length: 20 }, (_, i) => ({
    id: newId(),
    code: `R${String(i + 1).padStart(2, '0')}`,
    points: i < 15 ? 2 + (i % 5) * 3 : -(1 + (i % 3) * 2),
  }))
  const hids = Array.from({ length: households }, () => newId())
  const balance = new Int32Array(households)
  const honour = new Int32Array(households)
  const system = new Map<SystemAccount, number>([
    ['issuance', 0],
    ['penalties', 0],
    ['supermarket', 0],
    ['expired', 0],
  ])

  const insertEntry =
    sqlite.prepare(`INSERT INTO ledger_entries (id, village_id, seq, at, kind, household_id, amount, balance_after, memo,
    occurred_on, rule_id, award_id, redemption_id, reverses_id, created_by, prev_hash, hash)
    VALUES (@id, @village_id, @seq, @at, @kind, @household_id, @amount, @balance_after, @memo, @occurred_on, @rule_id, @award_id,
    @redemption_id, @reverses_id, @created_by, @prev_hash, @hash)`)
  const insertPosting = sqlite.prepare(
    'INSERT INTO ledger_postings (village_id, entry_id, account_id, amount) VALUES (?, ?, ?, ?)',
  )

  sqlite.transaction(() => {
    sqlite
      .prepare('INSERT INTO villages (id, code, name, timezone, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(villageId, 'COUNTY', '示范县', TZ, created)
    const acc = sqlite.prepare(
      'INSERT INTO accounts (id, village_id, kind, household_id, balance) VALUES (?, ?, ?, ?, 0)',
    )
    for (const kind of system.keys()) acc.run(systemAccount(villageId, kind), villageId, kind, null)
    sqlite
      .prepare(
        'INSERT INTO users (id, username, password_hash, roles, village_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(clerk, 'bench-clerk', 'x', 'clerk', villageId, created)
    const rule = sqlite.prepare(
      'INSERT INTO rules (id, village_id, code, name, category, points, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    for (const r of rules)
      rule.run(r.id, villageId, r.code, `规则${r.code}`, r.points > 0 ? '好人好事' : '违规', r.points, created)
    const hh =
      sqlite.prepare(`INSERT INTO households (id, village_id, household_no, head_name, phone, search_key, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    hids.forEach((id, i) => {
      const no = `H${String(i + 1).padStart(6, '0')}`
      hh.run(
        id,
        villageId,
        no,
        pick(SURNAMES) + pick(GIVEN) + (rand() < 0.6 ? pick(GIVEN) : ''),
        `139${String(i).padStart(8, '0')}`,
        no.toLowerCase(),
        created,
        created,
      )
      acc.run(householdAccount(id), villageId, 'household', id)
    })
  })()

  let seq = 0
  let prev = GENESIS
  const reversible: { id: string; h: number; amount: number; rule: string }[] = []
  function append(
    h: number,
    kind: EntryKind,
    amount: number,
    counter: SystemAccount,
    at: string,
    ruleId: string | null,
    reversesId: string | null,
  ) {
    seq++
    balance[h]! += amount
    if (kind === 'award' || kind === 'deduction') honour[h]! += amount
    if (kind === 'reversal') honour[h]! += amount
    system.set(counter, system.get(counter)! - amount)
    const row: Row<'ledger_entries'> = {
      id: newId(),
      village_id: villageId,
      seq,
      at,
      kind,
      household_id: hids[h]!,
      amount,
      balance_after: balance[h]!,
      memo: kind,
      occurred_on: at.slice(0, 10),
      rule_id: ruleId,
      award_id: null,
      redemption_id: null,
      reverses_id: reversesId,
      created_by: clerk,
      prev_hash: prev,
      hash: '',
    }
    const hAcc = householdAccount(hids[h]!)
    const cAcc = systemAccount(villageId, counter)
    row.hash = entryHash(row, [
      { account: hAcc, amount },
      { account: cAcc, amount: -amount },
    ])
    prev = row.hash
    insertEntry.run(row)
    insertPosting.run(villageId, row.id, hAcc, amount)
    insertPosting.run(villageId, row.id, cAcc, -amount)
    return row.id
  }

  function fill(month: string, count: number, firstAwardEach: boolean) {
    const { start, end } = monthRange(month, TZ)
    const t0 = Date.parse(start)
    const span = Date.parse(end) - t0 - 1
    const CHUNK = 100_000
    for (let from = 0; from < count; from += CHUNK) {
      sqlite.transaction(() => {
        for (let i = from; i < Math.min(count, from + CHUNK); i++) {
          const at = new Date(t0 + Math.floor((i * span) / count)).toISOString()
          const h = firstAwardEach ? i % households : Math.floor(rand() * households)
          const r = rand()
          const positive = rules[Math.floor(rand() * 15)]!
          if (firstAwardEach || r < 0.7) {
            const id = append(h, 'award', positive.points, 'issuance', at, positive.id, null)
            if (reversible.length < 1000) reversible.push({ id, h, amount: positive.points, rule: positive.id })
          } else if (r < 0.78) {
            const fine = rules[15 + Math.floor(rand() * 5)]!
            append(h, 'deduction', fine.points, 'penalties', at, fine.id, null)
          } else if (r < 0.95 && balance[h]! >= 10) {
            append(h, 'redemption', -(5 + Math.floor(rand() * (balance[h]! - 4))), 'supermarket', at, null, null)
          } else if (r < 0.99 || reversible.length === 0) {
            append(h, 'adjustment', rand() < 0.5 ? 3 : -1, 'issuance', at, null, null)
          } else {
            const e = reversible.pop()!
            append(e.h, 'reversal', -e.amount, 'issuance', at, e.rule, e.id)
          }
        }
      })()
    }
  }

  fill(previousMonth(MONTH), households, true) // everyone starts the month with an opening balance
  reversible.length = 0
  fill(MONTH, entries, false)

  sqlite.transaction(() => {
    const setAcc = sqlite.prepare('UPDATE accounts SET balance = ? WHERE id = ?')
    const setHonour = sqlite.prepare('UPDATE households SET honour = ? WHERE id = ?')
    hids.forEach((id, i) => {
      setAcc.run(balance[i], householdAccount(id))
      setHonour.run(honour[i], id)
    })
    for (const [kind, b] of system) setAcc.run(b, systemAccount(villageId, kind))
    // Goods for the stock sheet: receipts and redemptions spread over the month.
    const product = sqlite.prepare(
      'INSERT INTO products (id, village_id, sku, name, points_price, stock, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    const move = sqlite.prepare(
      'INSERT INTO stock_moves (village_id, product_id, kind, quantity, at, reason, unit_points) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    const { start } = monthRange(MONTH, TZ)
    for (let p = 0; p < 50; p++) {
      const id = newId()
      product.run(id, villageId, `SKU${p}`, `商品${p}`, 5 + p, 1000, created)
      for (let m = 0; m < 400; m++)
        move.run(
          villageId,
          id,
          m % 2 ? 'redemption' : 'receipt',
          m % 2 ? -1 : 5,
          new Date(Date.parse(start) + (p * 400 + m) * 60_000).toISOString(),
          m % 2 ? null : '捐赠',
          5 + p,
        )
    }
  })()
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  const outstanding = balance.reduce((s, b) => s + b, 0)
  await close()
  return { villageId, seconds: (performance.now() - started) / 1000, outstanding, entries: seq }
}

async function describeExisting(file: string) {
  const { db, close } = openSqlite(file)
  const village = await db.selectFrom('villages').select('id').where('code', '=', 'COUNTY').executeTakeFirstOrThrow()
  const sum = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.sum<number>('balance').as('total'))
    .where('village_id', '=', village.id)
    .where('kind', '=', 'household')
    .executeTakeFirstOrThrow()
  await close()
  return { villageId: village.id, outstanding: Number(sum.total) }
}

/** In a child process: one export through the HTTP app, read to the end. Prints one JSON line. */
async function measure(file: string, villageId: string, format: string) {
  const { db, close } = openSqlite(file)
  const app = createApp({ db, secrets: await loadSecrets(db), audit: new AuditLog(db), version: 'bench' })
  const login = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  })
  const { token } = (await login.json()) as { token: string }
  const rssBefore = process.memoryUsage().rss
  let peakSampled = rssBefore
  const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, process.memoryUsage().rss)), 50)
  const t0 = performance.now()
  const res = await app.request(`/api/villages/${villageId}/exports/monthly?month=${MONTH}&format=${format}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (res.status !== 200) throw new Error(`${format}: ${res.status} ${await res.text()}`)
  const firstByteMs = performance.now() - t0
  let bytes = 0
  let tail = ''
  const decoder = new TextDecoder()
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length
    if (format === 'csv') tail = (tail + decoder.decode(chunk, { stream: true })).slice(-2000)
  }
  const ms = performance.now() - t0
  clearInterval(sampler)
  const mb = (n: number) => Math.round(n / 1024 / 1024)
  // The csv's totals line must close at the sum of every household's live balance.
  const totals = format === 'csv' ? tail.split('\r\n').find((l) => l.startsWith('合计,')) : undefined
  console.log(
    JSON.stringify({
      format,
      seconds: +(ms / 1000).toFixed(2),
      firstByteSeconds: +(firstByteMs / 1000).toFixed(2),
      megabytes: +(bytes / 1e6).toFixed(1),
      rssBeforeMB: mb(rssBefore),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      sampledPeakMB: mb(peakSampled),
      totals,
    }),
  )
  await close()
}

async function main() {
  const measuring = argText('measure')
  if (measuring) return measure(argText('db')!, argText('village')!, measuring)

  const households = arg('households', 50_000)
  const entries = arg('entries', 1_000_000)
  const reuse = argText('db') // a file kept by an earlier --keep run: measure again without generating
  const dir = reuse ? null : mkdtempSync(join(tmpdir(), 'gongyi-bench-'))
  const file = reuse ?? join(dir!, 'county.db')
  let gen: { villageId: string; outstanding: number }
  if (reuse) gen = await describeExisting(file)
  else {
    console.log(`generating ${households} households and ${entries} entries for ${MONTH} into ${file} …`)
    const made = await generate(file, households, entries)
    console.log(
      JSON.stringify({
        generated: { seconds: +made.seconds.toFixed(1), entries: made.entries, outstanding: made.outstanding },
      }),
    )
    gen = made
  }
  const self = fileURLToPath(import.meta.url)
  const results: Record<string, unknown>[] = []
  for (const format of (argText('formats') ?? 'csv,xlsx,json').split(',')) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, self, '--measure', format, '--db', file, '--village', gen.villageId],
      { encoding: 'utf8' },
    )
    if (child.status !== 0) throw new Error(`${format} export failed:\n${child.stderr}`)
    const line = JSON.parse(child.stdout.trim().split('\n').at(-1)!)
    results.push(line)
    console.log(JSON.stringify(line))
  }
  const by = (f: string) =>
    results.find((r) => r.format === f) as { seconds: number; peakRssMB: number; totals?: string } | undefined
  const csv = by('csv')
  const xlsx = by('xlsx')
  if (csv) {
    const closing = Number(csv.totals?.split(',').at(-1))
    console.log(
      `csv totals close at ${closing}; households' live balances sum to ${gen.outstanding}: ${closing === gen.outstanding ? 'agree' : 'DISAGREE'}`,
    )
    console.log(
      `goals: csv < 10 s: ${csv.seconds < 10 ? 'met' : 'MISSED'}; csv < 300 MB peak: ${csv.peakRssMB < 300 ? 'met' : 'MISSED'}`,
    )
  }
  if (xlsx) console.log(`goal: xlsx < 60 s: ${xlsx.seconds < 60 ? 'met' : 'MISSED'}`)
  if (dir && process.argv.includes('--keep')) console.log(`kept ${file} (measure again with --db ${file})`)
  else if (dir) rmSync(dir, { recursive: true, force: true })
}

await main()
