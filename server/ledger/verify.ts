import type { DB } from '../../db/database.js'
import type { KeyObject } from 'node:crypto'
import { type ActingUser, assertVillage } from '../core/actor.js'
import { type Checkpoint, type CheckpointProblem, checkCheckpoints } from './checkpoint.js'
import type { WorkerPool } from '../workers/pool.js'
import { GENESIS, entryHash } from './hash-chain.js'

export interface VerifyResult {
  ok: boolean
  entries: number
  head: string
  firstBad?: { entryId: string | null; seq: number | null; problem: string }
  /** With checkpoints: how many were checked, and each one the chain no longer passes through. */
  checkpoints?: { checked: number; failed: CheckpointProblem[] }
}

/**
 * verifyLedger, and that the chain still passes through every checkpoint given (ledger/checkpoint.ts): what
 * catches a chain edited and re-hashed throughout, cut short, or put back to an older copy. Runs on this
 * thread, chain and checkpoints on one connection (the checkpoint check is a few indexed reads).
 */
export async function verifyWithCheckpoints(
  db: DB,
  actor: ActingUser,
  villageId: string,
  checkpoints: Checkpoint[],
  publicKey: KeyObject | null,
): Promise<VerifyResult> {
  const result = await verifyLedger(db, actor, villageId)
  const failed = await checkCheckpoints(db, villageId, checkpoints, publicKey)
  return { ...result, ok: result.ok && failed.length === 0, checkpoints: { checked: checkpoints.length, failed } }
}

const PAGE = 5000

/**
 * Recomputes a village's hash chain, checks every entry balances and every household's running balance,
 * then checks every account's kept balance against the sum of its postings. Reads in pages, so a
 * county's ledger verifies in bounded memory.
 */
export async function verifyLedger(
  db: DB,
  actor: ActingUser,
  villageId: string,
  workers?: WorkerPool,
): Promise<VerifyResult> {
  assertVillage(actor, villageId)
  // On a worker thread when the server has a pool (its own read-only connection; the counter keeps the loop).
  if (workers) return workers.run<VerifyResult>({ kind: 'verify-ledger', actor: { ...actor }, villageId })
  let prev = GENESIS
  let expectedSeq = 1
  let count = 0
  const running = new Map<string, number>()
  // Each account's postings are summed on the way through, so the check of kept balances reads nothing more.
  const totals = new Map<string, number>()
  const bad = (entryId: string | null, seq: number | null, problem: string): VerifyResult => ({
    ok: false,
    entries: count,
    head: prev,
    firstBad: { entryId, seq, problem },
  })

  for (;;) {
    const rows = await db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('village_id', '=', villageId)
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(PAGE)
      .execute()
    if (rows.length === 0) break
    const postings = await db
      .selectFrom('ledger_postings')
      .select(['entry_id', 'account_id', 'amount'])
      .where('village_id', '=', villageId)
      .where(
        'entry_id',
        'in',
        db
          .selectFrom('ledger_entries')
          .select('id')
          .where('village_id', '=', villageId)
          .where('seq', '>=', rows[0]!.seq)
          .where('seq', '<=', rows[rows.length - 1]!.seq),
      )
      .execute()
    const byEntry = new Map<string, { account: string; amount: number }[]>()
    for (const p of postings) {
      const list = byEntry.get(p.entry_id) ?? []
      list.push({ account: p.account_id, amount: p.amount })
      byEntry.set(p.entry_id, list)
    }
    for (const e of rows) {
      if (e.seq !== expectedSeq) return bad(e.id, e.seq, `sequence gap: expected ${expectedSeq}`)
      if (e.prev_hash !== prev) return bad(e.id, e.seq, 'previous hash does not match the chain')
      const ps = byEntry.get(e.id) ?? []
      if (ps.length < 2 || ps.reduce((s, p) => s + p.amount, 0) !== 0)
        return bad(e.id, e.seq, 'postings do not balance')
      for (const p of ps) totals.set(p.account, (totals.get(p.account) ?? 0) + p.amount)
      if (entryHash(e, ps) !== e.hash) return bad(e.id, e.seq, 'content does not match its hash')
      if (e.household_id) {
        const own = ps.find((p) => p.account === e.household_id)
        if (!own || own.amount !== e.amount)
          return bad(e.id, e.seq, "household posting does not match the entry's amount")
        const after = (running.get(e.household_id) ?? 0) + e.amount
        if (after !== e.balance_after) return bad(e.id, e.seq, 'running balance does not match')
        running.set(e.household_id, after)
      }
      prev = e.hash
      expectedSeq++
      count++
    }
  }

  const accounts = await db
    .selectFrom('accounts')
    .select(['id', 'balance'])
    .where('village_id', '=', villageId)
    .execute()
  for (const a of accounts) {
    if ((totals.get(a.id) ?? 0) !== a.balance)
      return bad(null, null, `account ${a.id} balance ${a.balance} ≠ postings ${totals.get(a.id) ?? 0}`)
  }
  return { ok: true, entries: count, head: prev }
}
