import { randomUUID } from 'node:crypto'
import { openDatabase } from '../../db/database.js'
import { SYSTEM_ACTOR } from '../../server/core/actor.js'
import { verifyLedger } from '../../server/ledger/verify.js'
import { BENCH_PASSWORD } from '../lib/credentials.js'
import { runLoad } from '../lib/load.js'
import { profileServer } from '../lib/profile.js'
import type { BenchContext, Row } from '../lib/scenario.js'
import type { RunningServer } from '../lib/server.js'
import { fmt, median } from '../lib/stats.js'
import { staffName } from '../lib/village.js'
import type { Counter } from './counter.js'
import { BareRedeemer } from './redemption-bare.js'

/*
 * Redemption, one line, by card code: POST /api/villages/:vid/redemptions under load from a loopback client
 * (4 connections), against the bare better-sqlite3 loop doing the same reads and writes (redemption-bare.ts)
 * on the same file. Rounds alternate between the two; sales per second counts 201 answers only.
 */

const CONNECTIONS = 4
const GOAL = 0.5

function httpLoad(c: Counter, url: string, token: string, seconds: number, run: string) {
  return runLoad({
    url: `${url}/api/villages/${c.village.id}/redemptions`,
    method: 'POST',
    connections: CONNECTIONS,
    seconds,
    maxRequests: 100_000,
    headers: { authorization: `Bearer ${token}` },
    request: (i) => ({
      body: JSON.stringify({ cardCode: c.codes[i % c.codes.length], items: [{ productId: c.productId, quantity: 1 }] }),
      headers: { 'idempotency-key': `${run}-${i}` },
    }),
  })
}

export async function redemptionScenario(
  ctx: BenchContext,
  c: Counter,
  server: RunningServer,
  token: string,
): Promise<Row> {
  const bare = new BareRedeemer(c.file, c.village.id, c.cashierId, c.cardKey)
  const http: number[] = []
  const base: number[] = []
  const notes: string[] = []
  let refused = 0
  try {
    // Warm-up for both: JIT, page cache, prepared statements.
    await httpLoad(c, server.url, token, 1, `warm-${randomUUID()}`)
    bare.run(
      1,
      1000,
      (i) => ({ code: c.codes[i % c.codes.length]!, key: `bare-warm-${randomUUID()}-${i}` }),
      c.productId,
    )
    for (let r = 0; r < ctx.rounds; r++) {
      const result = await httpLoad(c, server.url, token, ctx.seconds, `http-${r}-${randomUUID()}`)
      http.push(result.perSecond)
      refused += result.failed
      if (result.failed)
        notes.push(`round ${r + 1}: ${result.failed} requests not 201: ${JSON.stringify(result.statuses)}`)
      const run = randomUUID()
      base.push(
        bare.run(
          ctx.seconds,
          100_000,
          (i) => ({ code: c.codes[i % c.codes.length]!, key: `bare-${run}-${i}` }),
          c.productId,
        ).perSecond,
      )
      ctx.log(`  redemption round ${r + 1}: HTTP ${fmt(http.at(-1)!)} /s, bare loop ${fmt(base.at(-1)!)} /s`)
    }
  } finally {
    bare.close()
  }
  const ratio = median(http) / median(base)
  const { db, close } = openDatabase(c.file)
  const verified = await verifyLedger(db, SYSTEM_ACTOR, c.village.id)
  await close()
  notes.push(
    `after the run the village's ledger verifies: ${verified.ok} (${fmt(verified.entries)} entries, HTTP and bare sales interleaved in one hash chain)`,
  )
  if (ratio < GOAL) {
    notes.push(
      ...(await profileServer(
        `${ctx.profileDir}/redemption`,
        c.file,
        { username: staffName(c.village, 'cashier'), password: BENCH_PASSWORD },
        (url, t) => httpLoad(c, url, t, ctx.seconds, `prof-${randomUUID()}`),
      )),
    )
  }
  return {
    scenario: 'redemption (HTTP, 1 line, card code)',
    data: `${ctx.county.label}; village ${c.village.code} (${c.village.households} households); ${CONNECTIONS} connections, ${ctx.rounds} × ${ctx.seconds} s`,
    figure: `${fmt(median(http))} sales/s`,
    baseline: `bare better-sqlite3 loop, same reads and writes: ${fmt(median(base))} sales/s`,
    ratio: ratio.toFixed(2),
    goal: `ratio ≥ ${GOAL}`,
    met: ratio >= GOAL && refused === 0 && verified.ok,
    rounds: `HTTP ${http.map((x) => fmt(x)).join(', ')}; bare ${base.map((x) => fmt(x)).join(', ')}`,
    notes,
  }
}
