import type { DB } from '../../../db/database.js'
import { localDate } from '../../../shared/time.js'
import type { ActingUser } from '../../core/actor.js'
import { notFound } from '../../core/errors.js'
import { html, htmlPage } from '../../http/html.js'
import { userName, villageForPrint } from '../print.js'
import { getStockReceipt } from './receipts.service.js'

/* The donation receipt (捐赠接收单), on A4 with room for both signatures. */

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

/**
 * 捐赠接收单: donor, items, quantities, points value, date, and lines for both signatures. Printed from a
 * village's page (`inVillage`), another village's receipt is one this village does not have: NOT_FOUND.
 */
export async function donationReceiptPage(
  db: DB,
  actor: ActingUser,
  receiptId: string,
  inVillage?: string,
): Promise<string> {
  const owner = await db
    .selectFrom('stock_receipts')
    .select('village_id')
    .where('id', '=', receiptId)
    .executeTakeFirst()
  if (!owner || (inVillage !== undefined && owner.village_id !== inVillage)) throw notFound('stock receipt')
  const r = await getStockReceipt(db, actor, receiptId)
  const v = await villageForPrint(db, owner.village_id)
  const date = localDate(r.at, v.timezone)
  const body = html`
<h1>捐赠接收单</h1>
<p class="village">${v.name} 爱心超市</p>
<dl>
  <dt>编号</dt><dd>${r.receiptNo ?? r.id}</dd>
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
  return htmlPage(`捐赠接收单 ${r.receiptNo ?? date}`, DONATION_CSS, body)
}
