import { openDatabase } from '../../db/database.js'
import { monthRange } from '../../shared/time.js'
import { BENCH_PASSWORD } from '../lib/credentials.js'
import { profileServer } from '../lib/profile.js'
import type { BenchContext, Row } from '../lib/scenario.js'
import { login, startServer } from '../lib/server.js'
import { fmt, mb, median } from '../lib/stats.js'
import { type BenchVillage, staffName, villageNear } from '../lib/village.js'

/*
 * The monthly export as an auditor downloads it: GET /api/villages/:vid/exports/monthly?format=csv for the
 * generated month of the 52,000-household village, read to the last byte over loopback. Each round starts a
 * fresh server process, so its peak RSS (VmHWM from /proc) is that of the start and this one export.
 */

const GOAL_S = 10
const CSV_GOAL_S = 3
const GOAL_MB = 300

async function download(url: string, token: string, village: BenchVillage, month: string, format: 'csv' | 'xlsx') {
  const t0 = performance.now()
  const res = await fetch(`${url}/api/villages/${village.id}/exports/monthly?month=${month}&format=${format}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (res.status !== 200) throw new Error(`export: ${res.status} ${await res.text()}`)
  let bytes = 0
  let lines = 0
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length
    for (const b of chunk) if (b === 10) lines++
  }
  return { seconds: (performance.now() - t0) / 1000, bytes, lines }
}

/** The month the generator filled: the one with most entries. */
async function busiestMonth(file: string, villageId: string) {
  const { db, close } = openDatabase(file)
  try {
    const rows = await db
      .selectFrom('ledger_entries')
      .select([
        (eb) => eb.fn<string>('substr', ['at', eb.val(1), eb.val(7)]).as('m'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('village_id', '=', villageId)
      .groupBy('m')
      .orderBy('n', 'desc')
      .limit(1)
      .execute()
    let month = rows[0]!.m
    // Posting times are UTC; the month is the village's (UTC+8): count it exactly.
    const range = monthRange(month, 'Asia/Shanghai')
    const { n } = await db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('village_id', '=', villageId)
      .where('at', '>=', range.start)
      .where('at', '<', range.end)
      .executeTakeFirstOrThrow()
    return { month, entries: Number(n) }
  } finally {
    await close()
  }
}

export { busiestMonth }

export async function exportScenario(ctx: BenchContext, file: string, format: 'csv' | 'xlsx' = 'csv'): Promise<Row> {
  const goalS = format === 'csv' ? CSV_GOAL_S : GOAL_S
  const { db, close } = openDatabase(file)
  const village = await villageNear(db, Number.MAX_SAFE_INTEGER)
  await close()
  const { month, entries } = await busiestMonth(file, village.id)
  const user = { username: staffName(village, 'auditor'), password: BENCH_PASSWORD }
  const seconds: number[] = []
  const peaks: number[] = []
  const notes: string[] = []
  let size = { bytes: 0, lines: 0 }
  for (let r = 0; r < ctx.rounds; r++) {
    const server = await startServer(file)
    try {
      const token = await login(server.url, user.username, user.password)
      const d = await download(server.url, token, village, month, format)
      seconds.push(d.seconds)
      peaks.push(server.peakRss())
      size = d
      ctx.log(
        `  export ${format} round ${r + 1}: ${fmt(d.seconds, 1)} s, ${fmt(d.bytes / 1024 / 1024, 1)} MB, server peak RSS ${mb(peaks.at(-1)!)}`,
      )
    } finally {
      await server.stop()
    }
  }
  const time = median(seconds)
  const peak = Math.max(...peaks)
  notes.push(
    `${fmt(entries)} entries in ${month}; the file: ${fmt(size.bytes / 1024 / 1024, 1)} MB${format === 'csv' ? `, ${fmt(size.lines)} lines (a line per household, totals and the chain head)` : ' (statement, every entry, stock movements)'}; the server writes it on a worker thread`,
  )
  const met = time < goalS && peak < GOAL_MB * 1024 * 1024
  if (!met) {
    notes.push(
      ...(await profileServer(`${ctx.profileDir}/export-${format}`, file, user, (url, token) =>
        download(url, token, village, month, format),
      )),
    )
  }
  return {
    scenario: `monthly export ${format}`,
    data: `${ctx.big.label} (${fmt(entries)} entries in ${month}); real server, loopback download`,
    figure: `${fmt(time, 1)} s, peak RSS ${mb(peak)}`,
    baseline: '—',
    ratio: '—',
    goal: `< ${goalS} s, peak RSS < ${GOAL_MB} MB`,
    met,
    rounds: seconds.map((s, i) => `${fmt(s, 1)} s / ${mb(peaks[i]!)}`).join(', '),
    notes,
  }
}
