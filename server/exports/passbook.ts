import { type CheckpointKey, cutCheckpoint } from '../ledger/checkpoint.js'
import { checkpointBlock } from './checkpoint-print.js'
import type { DB } from '../../db/database.js'
import { notFound } from '../core/errors.js'
import type { ActingUser } from '../core/actor.js'
import { scopedVillage } from '../core/scope.js'
import { getVillage } from '../villages/villages.service.js'
import { type Html, html } from '../http/html.js'
import { page, signed } from './html.js'
import { localClock } from '../../shared/time.js'
import { kindLabel, periodLabel } from './labels.js'
import { breathe, ledgerCut, type LedgerCut, monthPeriod, type Period, yearPeriod } from './ledger-cut.js'
import { closeTally, openTally, postToTally } from './statement.js'

/*
 * 积分存折: one household's printed statement for a month or a year, for villagers without a smartphone.
 * The same cut of the chain as the monthly statement, so the passbook and the board always agree.
 */

async function householdEntries(db: DB, villageId: string, householdId: string, cut: LedgerCut) {
  return db
    .selectFrom('ledger_entries as e')
    .leftJoin('rules as r', 'r.id', 'e.rule_id')
    .select([
      'e.seq',
      'e.at',
      'e.kind',
      'e.amount',
      'e.balance_after',
      'e.memo',
      'e.occurred_on',
      'r.code as rule_code',
      'r.name as rule_name',
    ])
    .where('e.household_id', '=', householdId)
    .where('e.village_id', '=', villageId)
    .where('e.seq', '>', cut.startSeq)
    .where('e.seq', '<=', cut.headSeq)
    .orderBy('e.seq')
    .execute()
}

async function openingBalance(db: DB, villageId: string, householdId: string, cut: LedgerCut) {
  const last = await db
    .selectFrom('ledger_entries')
    .select('balance_after')
    .where('household_id', '=', householdId)
    .where('village_id', '=', villageId)
    .where('seq', '<=', cut.startSeq)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return last?.balance_after ?? 0
}

type Which = { month: string } | { year: number }
type Village = Awaited<ReturnType<typeof getVillage>>

/** One household's passbook: what a page (or, in the village's batch, one A4 sheet) holds. */
async function passbookSection(
  db: DB,
  village: Village,
  household: { id: string; household_no: string; head_name: string },
  period: Period,
  cut: LedgerCut,
  /** The cut's signed checkpoint, printed once per page; the village's batch signs and draws it once for all. */
  checkpoint: Html | '',
): Promise<Html> {
  const villageId = village.id
  const opening = await openingBalance(db, villageId, household.id, cut)
  const entries = await householdEntries(db, villageId, household.id, cut)
  const tally = openTally(opening)
  for (const e of entries) postToTally(tally, e, household.household_no)
  const f = closeTally(tally, household.household_no)
  const local = localClock(village.timezone)
  return html`<section class="passbook" data-household="${household.household_no}"><h1>公益积分存折</h1>
<p class="sub">${village.name}　公益银行 · 爱心超市</p>
<div class="facts"><span>户号：${household.household_no}</span><span>户主：${household.head_name}</span>
<span>期间：${periodLabel(period.label)}</span><span>期初余额：${f.opening}</span><span>期末余额：${f.closing}</span></div>
<table><thead><tr><th>日期</th><th>类型</th><th>摘要</th><th>规则</th><th class="num">收入</th><th class="num">支出</th><th class="num">余额</th></tr></thead>
<tbody><tr><td></td><td>期初</td><td>期初余额</td><td></td><td class="num"></td><td class="num"></td><td class="num">${f.opening}</td></tr>
${entries.map(
  (e) => html`<tr><td>${local(e.at).slice(0, 10)}</td><td>${kindLabel(e.kind)}</td><td>${e.memo}</td>
<td>${e.rule_code ? `${e.rule_code} ${e.rule_name}` : ''}</td><td class="num">${e.amount > 0 ? e.amount : ''}</td>
<td class="num">${e.amount < 0 ? -e.amount : ''}</td><td class="num">${e.balance_after}</td></tr>`,
)}
<tr class="total"><td></td><td>期末</td><td>期末余额</td><td></td><td class="num"></td><td class="num"></td><td class="num">${f.closing}</td></tr></tbody></table>
<table><thead><tr><th class="num">期初</th><th class="num">获得</th><th class="num">扣除</th><th class="num">兑换</th><th class="num">调整</th><th class="num">期末</th></tr></thead>
<tbody><tr><td class="num">${f.opening}</td><td class="num">${f.earned}</td><td class="num">${f.deducted}</td><td class="num">${f.redeemed}</td>
<td class="num">${signed(f.adjusted)}</td><td class="num">${f.closing}</td></tr></tbody></table>
<p class="note">共 ${entries.length} 笔。期初 + 获得 − 扣除 − 兑换 + 调整 = 期末。打印时间 ${local(new Date().toISOString())}。</p>
<p class="note">账本链头（第 ${cut.headSeq} 条）：<span class="hash">${cut.chainHead}</span></p>
${checkpoint}</section>`
}

/** The signed checkpoint of a cut, as printed (a QR code): the same for every household cut at that head. */
const checkpointOf = async (key: CheckpointKey | undefined, villageId: string, cut: LedgerCut, period: Period) =>
  key ? await checkpointBlock(cutCheckpoint(key, villageId, cut, period.end)) : ''

const periodOfWhich = (which: Which, timezone: string) =>
  'month' in which ? monthPeriod(which.month, timezone) : yearPeriod(which.year, timezone)

export async function passbookPage(db: DB, actor: ActingUser, householdId: string, which: Which, key?: CheckpointKey) {
  const villageId = await scopedVillage(db, actor, 'households', householdId)
  const village = await getVillage(db, actor, villageId)
  const household = await db
    .selectFrom('households')
    .select(['id', 'household_no', 'head_name'])
    .where('id', '=', householdId)
    .where('village_id', '=', villageId)
    .executeTakeFirst()
  if (!household) throw notFound('household')
  const period = periodOfWhich(which, village.timezone)
  const cut = await ledgerCut(db, villageId, period)
  const title = `公益积分存折 · ${household.household_no} ${household.head_name}（${periodLabel(period.label)}）`
  return page(
    title,
    await passbookSection(db, village, household, period, cut, await checkpointOf(key, villageId, cut, period)),
  )
}

/**
 * The whole village's passbooks in one print (issue 17: they printed one household at a time): a household per
 * A4 sheet, by number, all cut at the same chain head so that every sheet agrees with the board.
 */
export async function villagePassbooksPage(
  db: DB,
  actor: ActingUser,
  villageId: string,
  which: Which,
  key?: CheckpointKey,
) {
  const village = await getVillage(db, actor, villageId)
  const period = periodOfWhich(which, village.timezone)
  const cut = await ledgerCut(db, villageId, period)
  const households = await db
    .selectFrom('households')
    .select(['id', 'household_no', 'head_name'])
    .where('village_id', '=', villageId)
    .orderBy('household_no')
    .execute()
  if (households.length === 0) throw notFound('household')
  const checkpoint = await checkpointOf(key, villageId, cut, period)
  const sections: Html[] = []
  for (const h of households) {
    sections.push(await passbookSection(db, village, h, period, cut, checkpoint))
    await breathe() // a county village's batch must not hold up the counter
  }
  const title = `公益积分存折 · ${village.name} 全村 ${households.length} 户（${periodLabel(period.label)}）`
  return page(
    title,
    html`<style>.passbook { break-after: page; page-break-after: always; } .passbook:last-child { break-after: auto; page-break-after: auto; }</style>${sections}`,
  )
}
