import type { DB } from '../../db/database.js'
import { localDate } from '../../shared/time.js'
import { notFound } from '../core/errors.js'
import { localClock } from '../../shared/time.js'
import { html, htmlPage } from '../http/html.js'
import { getRedemption } from './redemptions.service.js'
import { getStockReceipt } from './stock.service.js'

/*
 * Printable pages. The donation receipt (捐赠接收单) goes on A4 with room for both signatures; the
 * redemption receipt is laid out for a 58 mm thermal printer (48 mm of printable width).
 */

async function village(db: DB, villageId: string) {
  const v = await db.selectFrom('villages').select(['name', 'timezone']).where('id', '=', villageId).executeTakeFirst()
  if (!v) throw notFound('village')
  return v
}

async function userName(db: DB, userId: string | null): Promise<string> {
  if (!userId) return ''
  const u = await db.selectFrom('users').select(['username', 'display_name']).where('id', '=', userId).executeTakeFirst()
  return u ? (u.display_name ?? u.username) : ''
}

const DONATION_CSS = `
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { font: 14px/1.6 "Songti SC", "SimSun", "Noto Serif CJK SC", serif; color: #000; max-width: 180mm; margin: 0 auto; }
h1 { text-align: center; font-size: 22px; letter-spacing: 0.3em; margin: 0 0 4px; }
.village { text-align: center; margin: 0 0 12px; }
dl { display: grid; grid-template-columns: 6em 1fr 6em 1fr; gap: 2px 8px; margin: 0 0 10px; }
dt { font-weight: bold; } dd { margin: 0; }
table { width: 100%; border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #000; padding: 4px 6px; }
th { background: #eee; }
td.num, th.num { text-align: right; }
tfoot td { font-weight: bold; }
.note { margin: 8px 0; }
.thanks { margin: 12px 0; }
.signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; margin-top: 36px; }
.signatures p { margin: 18px 0 0; }
.line { display: inline-block; min-width: 9em; border-bottom: 1px solid #000; }
@media print { th { background: none; } }
`

/** 捐赠接收单: donor, items, quantities, points value, date, and lines for both signatures. */
export async function donationReceiptPage(db: DB, villageId: string, receiptId: string): Promise<string> {
  const r = await getStockReceipt(db, villageId, receiptId)
  const v = await village(db, villageId)
  const date = localDate(r.at, v.timezone)
  const body = html`
<h1>捐赠接收单</h1>
<p class="village">${v.name} 爱心超市</p>
<dl>
  <dt>编号</dt><dd>${r.id}</dd>
  <dt>接收日期</dt><dd>${date}</dd>
  <dt>捐赠人</dt><dd>${r.donor ?? '—'}</dd>
  <dt>捐赠单位</dt><dd>${r.donorOrg ?? '—'}</dd>
  <dt>经办人</dt><dd>${await userName(db, r.createdBy)}</dd>
</dl>
<table>
  <thead><tr><th>序号</th><th>物品名称</th><th>单位</th><th class="num">数量</th><th>保质期至</th><th class="num">单价(积分)</th><th class="num">积分价值</th></tr></thead>
  <tbody>
  ${r.items.map((i, n) => html`<tr><td>${n + 1}</td><td>${i.name}</td><td>${i.unit ?? ''}</td><td class="num">${i.quantity}</td><td>${i.bestBefore ?? ''}</td><td class="num">${i.unitPoints}</td><td class="num">${i.points}</td></tr>`)}
  </tbody>
  <tfoot><tr><td colspan="3">合计</td><td class="num">${r.totalQuantity}</td><td></td><td></td><td class="num">${r.totalPoints}</td></tr></tfoot>
</table>
${r.note ? html`<p class="note">备注：${r.note}</p>` : ''}
<p class="thanks">以上物品已如数收到，将用于本村爱心超市积分兑换。感谢您的爱心捐赠！</p>
<div class="signatures">
  <div><p>捐赠方（签字/盖章）：<span class="line"></span></p><p>日期：<span class="line"></span></p></div>
  <div><p>接收方（签字/盖章）：<span class="line"></span></p><p>日期：<span class="line"></span></p></div>
</div>
`
  return htmlPage(`捐赠接收单 ${date}`, DONATION_CSS, body)
}

const THERMAL_CSS = `
@page { size: 58mm auto; margin: 0; }
* { box-sizing: border-box; }
body { width: 48mm; margin: 0 auto; padding: 2mm 0; font: 12px/1.35 "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif; color: #000; }
h1 { font-size: 15px; text-align: center; margin: 0; }
h2 { font-size: 13px; text-align: center; margin: 0 0 2mm; font-weight: normal; }
p { margin: 0; }
hr { border: 0; border-top: 1px dashed #000; margin: 1.5mm 0; }
table { width: 100%; border-collapse: collapse; }
td { padding: 0; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
.total td { font-weight: bold; font-size: 13px; }
.voided { text-align: center; font-size: 16px; font-weight: bold; border: 2px solid #000; margin: 2mm 0; }
.foot { text-align: center; margin-top: 2mm; }
`

/** The 58 mm counter receipt: village, household number, items, points spent, balance after, time, number. */
export async function redemptionReceiptPage(db: DB, villageId: string, redemptionId: string): Promise<string> {
  const r = await getRedemption(db, villageId, redemptionId)
  const v = await village(db, villageId)
  const body = html`
<h1>${v.name}</h1>
<h2>爱心超市兑换小票</h2>
<p>单号：${r.receiptNo}</p>
<p>户号：${r.householdNo}</p>
<p>时间：${localClock(v.timezone)(r.at)}</p>
<hr>
<table>
  ${r.items.map((i) => html`<tr><td colspan="2">${i.name}</td></tr><tr><td>${i.quantity}${i.unit ?? ''} × ${i.unitPoints}</td><td class="num">${i.points}</td></tr>`)}
</table>
<hr>
<table>
  <tr class="total"><td>消费积分</td><td class="num">${r.pointsSpent}</td></tr>
  <tr><td>剩余积分</td><td class="num">${r.balanceAfter}</td></tr>
</table>
${r.voided ? html`<p class="voided">已作废</p><p>作废时间：${localClock(v.timezone)(r.voidedAt!)}</p><p>原因：${r.voidReason}</p>` : ''}
<hr>
<p>收银员：${await userName(db, r.cashierId)}</p>
<p class="foot">积分改变习惯 · 爱心成就美德</p>
`
  return htmlPage(`兑换小票 ${r.receiptNo}`, THERMAL_CSS, body)
}
