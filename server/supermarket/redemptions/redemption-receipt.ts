import type { DB } from '../../../db/database.js'
import { localClock } from '../../../shared/time.js'
import type { ActingUser } from '../../core/actor.js'
import { scopedVillage } from '../../core/scope.js'
import { html, htmlPage } from '../../http/html.js'
import { userName, villageForPrint } from '../print.js'
import { getRedemption } from './read.service.js'

/* The redemption receipt, laid out for a 58 mm thermal printer (48 mm of printable width). */

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
.nocard { font-weight: bold; }
`

/** The 58 mm counter receipt: village, household number, items, points spent, balance after, time, number. */
export async function redemptionReceiptPage(db: DB, actor: ActingUser, redemptionId: string): Promise<string> {
  const r = await getRedemption(db, actor, redemptionId)
  const v = await villageForPrint(db, await scopedVillage(db, actor, 'redemptions', r.id))
  const body = html`
<h1>${v.name}</h1>
<h2>爱心超市兑换小票</h2>
<p>单号：${r.receiptNo}</p>
<p>户号：${r.householdNo}</p>
${r.cardId === null ? html`<p class="nocard">未刷卡（凭户密码）</p>` : ''}
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
