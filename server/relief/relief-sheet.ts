import type { DB } from '../../db/database.js'
import { localDate } from '../../shared/time.js'
import type { ActingUser } from '../core/actor.js'
import { html, htmlPage } from '../http/html.js'
import { getVillage } from '../villages/villages.service.js'
import { getRelief } from './relief.service.js'

/*
 * The sign-off sheet (救助物资签领表), on A4: what each household receives and a tall empty cell for a signature
 * or a thumbprint (many recipients are elderly and do not write), with lines for the one who handed out and the
 * one who checked. Households of a large distribution run on over pages; the header row repeats on each.
 */

const SHEET_CSS = `
@page { size: A4; margin: 15mm 14mm; }
* { box-sizing: border-box; }
body { font: 14px/1.5 "Songti SC", "SimSun", "Noto Serif CJK SC", serif; color: #000; max-width: 182mm; margin: 0 auto; }
h1 { text-align: center; font-size: 22px; letter-spacing: 0.2em; margin: 0 0 4px; }
.village { text-align: center; margin: 0 0 10px; }
dl { display: grid; grid-template-columns: 5em 1fr 5em 1fr; gap: 2px 8px; margin: 0 0 8px; }
dt { font-weight: bold; } dd { margin: 0; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
th, td { border: 1px solid #000; padding: 4px 6px; vertical-align: middle; }
th { background: #eee; }
tbody tr { height: 16mm; page-break-inside: avoid; }
td.sign { width: 38mm; }
td.num { text-align: right; }
.signatures { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 16px; margin-top: 18px; }
.line { display: inline-block; min-width: 7em; border-bottom: 1px solid #000; }
@media print { th { background: none; } }
`

const goodsText = (items: { name: string; quantity: number; unit: string | null }[]) =>
  items.map((i) => `${i.name} ${i.quantity}${i.unit ?? ''}`).join('，')

export async function reliefSheetPage(db: DB, actor: ActingUser, reliefId: string): Promise<string> {
  const r = await getRelief(db, actor, reliefId)
  const v = await getVillage(db, actor, r.villageId)
  const date = localDate(r.at, v.timezone)
  const goods = goodsText(r.items)
  const body = html`
<h1>救助物资签领表</h1>
<p class="village">${v.name} 阳光超市</p>
<dl>
  <dt>发放日期</dt><dd>${date}</dd>
  <dt>发放对象</dt><dd>${r.tag ? `${r.tag}户（全部）` : '名单所列农户'}，共 ${r.householdCount} 户</dd>
  <dt>事由</dt><dd>${r.note}</dd>
  <dt>每户物资</dt><dd>${goods}</dd>
</dl>
<table>
  <thead><tr><th>序号</th><th>户号</th><th>户主</th><th>类别</th><th>领取物资</th><th>签名或手印</th></tr></thead>
  <tbody>
  ${r.households.map((h, n) => html`<tr><td class="num">${n + 1}</td><td>${h.householdNo}</td><td>${h.headName}</td><td>${h.tags.join('、')}</td><td>${goods}</td><td class="sign"></td></tr>`)}
  </tbody>
</table>
<p>合计发放：${r.items.map((i) => `${i.name} ${i.total}${i.unit ?? ''}`).join('，')}。以上物资免费发放，不扣积分。</p>
<div class="signatures">
  <p>发放人：<span class="line"></span></p>
  <p>审核人：<span class="line"></span></p>
  <p>日期：<span class="line"></span></p>
</div>
`
  return htmlPage(`救助物资签领表 ${date}`, SHEET_CSS, body)
}
