import type SQLite from 'better-sqlite3'
import { openSqlite } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Role } from '../../shared/schemas/common.js'
import { localDate } from '../../shared/time.js'
import { approveAward, proposeAward } from '../../server/awards/awards.service.js'
import { entryHash, GENESIS } from '../../server/ledger/hash-chain.js'
import { Random } from '../../scripts/demo/random.js'
import { profileHere } from '../lib/profile.js'
import type { BenchContext, Row } from '../lib/scenario.js'
import { fmt, median } from '../lib/stats.js'
import { staffName, userId, villageNear } from '../lib/village.js'

/*
 * Bulk award posting for 10,000 households: the approver approves an inspection round and postAward writes
 * one ledger entry per household (appendEntries), in one transaction. Measured in-process (no HTTP) on a
 * village of 52,000 households with a month of a million entries behind it, so indexes are county-sized.
 * Baseline: the same rows (entries with their hashes, postings, balances, honour, the award's status) written
 * by prepared better-sqlite3 statements in one transaction. Both with synchronous=FULL.
 */

const SIZE = 10_000
const GOAL_MS = 1000
const GOAL_RATIO = 0.3

/** The posting's writes, by hand: what appendEntries and postAward write for the award's households. */
function barePost(sqlite: SQLite.Database, villageId: string, awardId: string, actorId: string) {
  const q = {
    award: sqlite.prepare('select * from awards where id = ?'),
    rule: sqlite.prepare('select * from rules where id = ?'),
    households: sqlite.prepare('select household_id from award_households where award_id = ?').pluck(),
    head: sqlite.prepare('select seq, hash from ledger_entries where village_id = ? order by seq desc limit 1'),
    balance: sqlite.prepare('select balance from accounts where id = ?').pluck(),
    entry:
      sqlite.prepare(`insert into ledger_entries (id, village_id, seq, at, kind, household_id, amount, balance_after, memo, occurred_on, rule_id,
      award_id, redemption_id, reverses_id, created_by, prev_hash, hash) values (@id, @village_id, @seq, @at, @kind, @household_id, @amount,
      @balance_after, @memo, @occurred_on, @rule_id, @award_id, @redemption_id, @reverses_id, @created_by, @prev_hash, @hash)`),
    posting: sqlite.prepare(
      'insert into ledger_postings (village_id, entry_id, account_id, amount) values (?, ?, ?, ?)',
    ),
    move: sqlite.prepare('update accounts set balance = balance + ? where id = ?'),
    honour: sqlite.prepare('update households set honour = honour + ? where id = ?'),
    posted: sqlite.prepare("update awards set status = 'posted', posted_at = ? where id = ?"),
  }
  sqlite
    .transaction(() => {
      const award = q.award.get(awardId) as { rule_id: string; occurred_on: string; note: string | null }
      const rule = q.rule.get(award.rule_id) as { id: string; code: string; name: string; points: number }
      let { seq, hash } = (q.head.get(villageId) as { seq: number; hash: string } | undefined) ?? {
        seq: 0,
        hash: GENESIS,
      }
      const at = nowIso()
      const issuance = `${villageId}:issuance`
      const memo = `${rule.code} ${rule.name}`
      const households = q.households.all(awardId) as string[]
      for (const hid of households) {
        const balance = q.balance.get(hid) as number
        const row = {
          id: newId(),
          village_id: villageId,
          seq: ++seq,
          at,
          kind: 'award' as const,
          household_id: hid,
          amount: rule.points,
          balance_after: balance + rule.points,
          memo,
          occurred_on: award.occurred_on,
          rule_id: rule.id,
          award_id: awardId,
          redemption_id: null,
          reverses_id: null,
          created_by: actorId,
          prev_hash: hash,
          hash: '',
        }
        row.hash = hash = entryHash(row, [
          { account: hid, amount: rule.points },
          { account: issuance, amount: -rule.points },
        ])
        q.entry.run(row)
        q.posting.run(villageId, row.id, hid, rule.points)
        q.posting.run(villageId, row.id, issuance, -rule.points)
        q.move.run(rule.points, hid)
        q.honour.run(rule.points, hid)
      }
      q.move.run(-rule.points * households.length, issuance)
      q.posted.run(at, awardId)
    })
    .immediate()
}

export async function bulkAwardScenario(ctx: BenchContext, file: string): Promise<Row> {
  const { db, sqlite, close } = openSqlite(file)
  const notes: string[] = []
  const post: number[] = []
  const propose: number[] = []
  const base: number[] = []
  try {
    const village = await villageNear(db, Number.MAX_SAFE_INTEGER)
    const actor = async (role: 'clerk' | 'approver') => ({
      id: await userId(db, staffName(village, role)),
      username: staffName(village, role),
      roles: [role as Role],
      villageId: village.id,
    })
    const clerk = await actor('clerk')
    const approver = await actor('approver')
    const rule = await db
      .selectFrom('rules')
      .select('id')
      .where('village_id', '=', village.id)
      .where('code', '=', 'VOL-03')
      .executeTakeFirstOrThrow()
    const ids = (await db.selectFrom('households').select('id').where('village_id', '=', village.id).execute()).map(
      (h) => h.id,
    )
    const rng = new Random('bulk')
    const size = Math.min(SIZE, ids.length)
    const today = localDate(new Date(), 'Asia/Shanghai')
    const proposal = () =>
      proposeAward(db, clerk, village.id, {
        ruleId: rule.id,
        householdIds: rng.sample(ids, size),
        occurredOn: today,
        note: '压力测试',
      })
    for (let r = 0; r < ctx.rounds; r++) {
      const t0 = performance.now()
      const award = await proposal()
      const t1 = performance.now()
      await approveAward(db, approver, award.id)
      const t2 = performance.now()
      propose.push(t1 - t0)
      post.push(t2 - t1)
      const other = await proposal()
      const t3 = performance.now()
      barePost(sqlite, village.id, other.id, approver.id)
      base.push(performance.now() - t3)
      ctx.log(
        `  bulk award round ${r + 1}: propose ${fmt(t1 - t0)} ms, approve and post ${fmt(t2 - t1)} ms; bare transaction ${fmt(base.at(-1)!)} ms`,
      )
    }
    const ratio = median(base) / median(post)
    notes.push(
      `proposing the ${fmt(size)}-household award (validation, rule limits, award_households) takes another ${fmt(median(propose))} ms (median)`,
    )
    if (median(post) >= GOAL_MS || ratio < GOAL_RATIO) {
      const award = await proposal()
      notes.push(...(await profileHere(ctx.profileDir, 'bulk-award', () => approveAward(db, approver, award.id))))
    }
    return {
      scenario: `bulk award posting, ${fmt(size)} households`,
      data: `${ctx.big.label}; in-process, ${ctx.rounds} rounds`,
      figure: `${fmt(median(post))} ms`,
      baseline: `same rows, prepared statements, one transaction: ${fmt(median(base))} ms`,
      ratio: ratio.toFixed(2),
      goal: `< ${GOAL_MS} ms, ratio ≥ ${GOAL_RATIO}`,
      met: median(post) < GOAL_MS && ratio >= GOAL_RATIO,
      rounds: `service ${post.map((x) => fmt(x)).join(', ')} ms; bare ${base.map((x) => fmt(x)).join(', ')} ms`,
      notes,
    }
  } finally {
    await close()
  }
}
