import { type CheckpointKey, cutCheckpoint } from '../ledger/checkpoint.js'
import { checkpointBlock } from './checkpoint-print.js'
import type { DB } from '../../db/database.js'
import type { StatementRow } from '../../shared/schemas/exports.js'
import type { ActingUser } from '../core/actor.js'
import { getVillage } from '../villages/villages.service.js'
import { type Html, html } from '../http/html.js'
import { maskName, page, signed } from './html.js'
import { localClock } from '../../shared/time.js'
import { periodLabel } from './labels.js'
import { type LedgerCut, monthPeriod, type Period } from './ledger-cut.js'
import { monthlyStatement, type Statement } from './statement.js'

/*
 * The public board (村务公开): what the committee posts on the village wall each month. It names households
 * by number and head's name only (masked when the village chooses), never a phone or an ID number.
 */

const RED_LIST_SIZE = 10
const NAMES_PER_NOTICE = 200

const inCut = (cut: LedgerCut) => ({ after: cut.startSeq, upTo: cut.headSeq })

/** Each rule applied in the month: how often and how many points, reversals aside. */
async function rulesApplied(db: DB, villageId: string, cut: LedgerCut) {
  const { after, upTo } = inCut(cut)
  return db
    .selectFrom('ledger_entries as e')
    .innerJoin('rules as r', 'r.id', 'e.rule_id')
    .select(['r.code', 'r.name', 'r.category', 'r.points'])
    .select((eb) => [eb.fn.countAll<number>().as('times'), eb.fn.sum<number>('e.amount').as('total')])
    .where('e.village_id', '=', villageId)
    .where('e.seq', '>', after)
    .where('e.seq', '<=', upTo)
    .where('e.kind', 'in', ['award', 'deduction'])
    .groupBy(['r.id', 'r.code', 'r.name', 'r.category', 'r.points'])
    .orderBy('r.code')
    .execute()
}

/**
 * 红榜: the households with the most honour (lifetime points earned minus deducted) as of the month's end
 * (issue 17): summed from the chain up to the cut's head, so October's board says what was true on Oct 31, not
 * today. Honour is what awards and deductions, and their reversals (which keep the rule), moved.
 */
async function redList(db: DB, villageId: string, cut: LedgerCut) {
  return db
    .selectFrom('ledger_entries as e')
    .innerJoin('households as h', 'h.id', 'e.household_id')
    .select(['h.household_no', 'h.head_name', (eb) => eb.fn.sum<number>('e.amount').as('honour')])
    .where('e.village_id', '=', villageId)
    .where('e.seq', '<=', cut.headSeq)
    .where((eb) =>
      eb.or([
        eb('e.kind', 'in', ['award', 'deduction']),
        eb.and([eb('e.kind', '=', 'reversal'), eb('e.rule_id', 'is not', null)]),
      ]),
    )
    .groupBy(['h.id', 'h.household_no', 'h.head_name'])
    .having((eb) => eb.fn.sum<number>('e.amount'), '>', 0)
    .orderBy((eb) => eb.fn.sum<number>('e.amount'), 'desc')
    .orderBy('h.household_no')
    .limit(RED_LIST_SIZE)
    .execute()
}

/** 黑榜: the month's deductions, except those reversed as mistakes. */
async function blackList(db: DB, villageId: string, cut: LedgerCut) {
  const { after, upTo } = inCut(cut)
  return db
    .selectFrom('ledger_entries as e')
    .innerJoin('households as h', 'h.id', 'e.household_id')
    .leftJoin('rules as r', 'r.id', 'e.rule_id')
    .leftJoin('award_households as ah', (j) =>
      j.onRef('ah.award_id', '=', 'e.award_id').onRef('ah.household_id', '=', 'e.household_id'),
    )
    .leftJoin('household_members as m', 'm.id', 'ah.member_id')
    .select([
      'h.household_no',
      'h.head_name',
      'm.name as member_name',
      'r.name as rule_name',
      'e.memo',
      'e.amount',
      'e.occurred_on',
      'e.at',
    ])
    .where('e.village_id', '=', villageId)
    .where('e.seq', '>', after)
    .where('e.seq', '<=', upTo)
    .where('e.kind', '=', 'deduction')
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('ledger_entries as x').select('x.id').whereRef('x.reverses_id', '=', 'e.id'))),
    )
    .orderBy('e.seq')
    .execute()
}

/**
 * The awards on public notice during the month (issue 17: October's board shows October's notices, not
 * November's): publicized before the month ended (its last approval) and on notice after the month began,
 * whatever became of them since. A month still running shows those on notice now and earlier in the month.
 */
export async function awardsOnNotice(db: DB, villageId: string, period?: Period) {
  let q = db
    .selectFrom('awards as a')
    .innerJoin('rules as r', 'r.id', 'a.rule_id')
    .select([
      'a.id',
      'a.status',
      'a.occurred_on',
      'a.note',
      'a.notice_until',
      'a.household_count',
      'r.name as rule_name',
      'r.points',
    ])
    .where('a.village_id', '=', villageId)
  // Without a month: the awards on notice now (the villager's phone).
  q = !period
    ? q.where('a.status', '=', 'publicized')
    : q
        .where('a.notice_until', 'is not', null)
        .where('a.notice_until', '>', period.start)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('award_approvals as ap')
              .select('ap.award_id')
              .whereRef('ap.award_id', '=', 'a.id')
              .where('ap.at', '<', period.end),
          ),
        )
  const awards = await q.orderBy('a.notice_until').orderBy('a.id').execute()
  return Promise.all(
    awards.map(async (a) => {
      const households = await db
        .selectFrom('award_households as ah')
        .innerJoin('households as h', 'h.id', 'ah.household_id')
        .leftJoin('household_members as m', 'm.id', 'ah.member_id')
        .select(['h.household_no', 'h.head_name', 'm.name as member_name'])
        .where('ah.award_id', '=', a.id)
        .where('h.village_id', '=', villageId)
        .orderBy('h.household_no')
        .limit(NAMES_PER_NOTICE)
        .execute()
      return { ...a, households }
    }),
  )
}

const STATUS_ZH: Record<string, string> = {
  publicized: '公示中',
  posted: '已入账',
  withdrawn: '已撤回',
  rejected: '未入账',
  pending: '待审批',
}

type Name = (n: string) => string

function householdTable(s: Statement, name: Name): Html {
  const row = (
    r: StatementRow,
  ) => html`<tr><td>${r.householdNo}</td><td>${name(r.headName)}</td><td class="num">${r.opening}</td>
<td class="num">${r.earned}</td><td class="num">${r.deducted}</td><td class="num">${r.redeemed}</td><td class="num">${signed(r.adjusted)}</td>
<td class="num">${r.closing}</td></tr>`
  const t = s.totals
  return html`<table><thead><tr><th>户号</th><th>户主</th><th class="num">期初</th><th class="num">获得</th><th class="num">扣除</th>
<th class="num">兑换</th><th class="num">调整</th><th class="num">结余</th></tr></thead>
<tbody>${s.households.map(row)}</tbody>
<tfoot><tr><td>合计</td><td>${s.households.length}户</td><td class="num">${t.opening}</td><td class="num">${t.earned}</td>
<td class="num">${t.deducted}</td><td class="num">${t.redeemed}</td><td class="num">${signed(t.adjusted)}</td><td class="num">${t.closing}</td></tr></tfoot></table>`
}

const emptyNote = (text: string) => html`<p class="empty">${text}</p>`

export async function boardPage(
  db: DB,
  actor: ActingUser,
  villageId: string,
  month: string,
  key?: CheckpointKey,
): Promise<string> {
  const village = await getVillage(db, actor, villageId)
  const statement = await monthlyStatement(db, village, month)
  const period = monthPeriod(month, village.timezone)
  const [rules, red, black, notices] = await Promise.all([
    rulesApplied(db, villageId, statement.cut),
    redList(db, villageId, statement.cut),
    blackList(db, villageId, statement.cut),
    awardsOnNotice(db, villageId, period),
  ])
  const name: Name = village.maskNames ? maskName : (n) => n
  // The member who did the deed, beside the head's name (issue 17): 许国福（许红）.
  const who = (head: string, member: string | null) => (member ? `${name(head)}（${name(member)}）` : name(head))
  const local = localClock(village.timezone)
  const title = `${village.name}公益积分公示（${periodLabel(month)}）`

  const body = html`<h1>${title}</h1>
<p class="sub">公益银行 · 爱心超市　村务公开　打印时间 ${local(new Date().toISOString())}</p>

<h2>一、本月适用的积分规则</h2>
${
  rules.length === 0
    ? emptyNote('本月没有奖励或扣分。')
    : html`<table><thead><tr><th>编号</th><th>规则</th><th>类别</th>
<th class="num">分值</th><th class="num">次数</th><th class="num">合计积分</th></tr></thead><tbody>
${rules.map(
  (r) => html`<tr><td>${r.code}</td><td>${r.name}</td><td>${r.category}</td><td class="num">${signed(r.points)}</td>
<td class="num">${Number(r.times)}</td><td class="num">${signed(Number(r.total))}</td></tr>`,
)}</tbody></table>`
}

<h2>二、红榜（截至${periodLabel(month)}末累计荣誉积分前${RED_LIST_SIZE}名）</h2>
${
  red.length === 0
    ? emptyNote('暂无。')
    : html`<table><thead><tr><th class="num">名次</th><th>户号</th><th>户主</th><th class="num">荣誉积分</th></tr></thead><tbody>
${red.map((h, i) => html`<tr><td class="num">${i + 1}</td><td>${h.household_no}</td><td>${name(h.head_name)}</td><td class="num">${Number(h.honour)}</td></tr>`)}
</tbody></table>`
}

<h2>三、黑榜（本月扣分）</h2>
${
  black.length === 0
    ? emptyNote('本月无扣分。')
    : html`<table><thead><tr><th>户号</th><th>户主</th><th>事由</th><th>发生日期</th><th class="num">扣分</th></tr></thead><tbody>
${black.map(
  (d) => html`<tr><td>${d.household_no}</td><td>${who(d.head_name, d.member_name)}</td><td>${d.rule_name ?? d.memo}</td>
<td>${d.occurred_on ?? local(d.at).slice(0, 10)}</td><td class="num">${-d.amount}</td></tr>`,
)}</tbody></table>`
}

<h2>四、本月公示的奖励（如有异议，请在截止时间前向村委会提出）</h2>
${
  notices.length === 0
    ? emptyNote('本月没有公示的奖励。')
    : html`<table><thead><tr><th>事项</th><th class="num">分值</th><th>发生日期</th>
<th>涉及农户</th><th>状态</th><th>公示截止</th></tr></thead><tbody>
${notices.map(
  (a) => html`<tr><td>${a.rule_name}${a.note ? html`<br><span class="note">${a.note}</span>` : ''}</td>
<td class="num">${signed(a.points)}</td><td>${a.occurred_on}</td>
<td>${a.households.map((h, i) => html`${i ? '、' : ''}${h.household_no} ${who(h.head_name, h.member_name)}`)}${a.household_count > a.households.length ? `等${a.household_count}户` : ''}</td>
<td>${STATUS_ZH[a.status] ?? a.status}</td><td>${a.notice_until ? local(a.notice_until) : ''}</td></tr>`,
)}</tbody></table>`
}

<h2>五、各户积分收支与结余</h2>
${householdTable(statement, name)}
<p class="note">期初 + 获得 − 扣除 − 兑换 + 调整 = 结余。调整含冲正、作废退回和年度清零。</p>
<p class="note">账本链头（第 ${statement.cut.headSeq} 条）：<span class="hash">${statement.cut.chainHead}</span>，可在系统“账本核验”中核对本表。</p>
${key ? await checkpointBlock(cutCheckpoint(key, villageId, statement.cut, statement.period.end)) : ''}`
  return page(title, body)
}
