import type { DB } from '../../db/database.js'
import type { ReliefReport } from '../../shared/types/relief.js'
import { monthRange } from '../../shared/time.js'
import type { ActingUser } from '../core/actor.js'
import { html, htmlPage } from '../http/html.js'
import { reliefLines } from '../relief/relief.service.js'
import { getVillage } from '../villages/villages.service.js'
import { BOM, csvLine } from './csv.js'
import { periodLabel } from './labels.js'

/*
 * The monthly relief report (阳光超市救助月报, issue 18), beside the points report: what was given free this
 * month, to whom, by product and by category. Relief moves no points, so it is a report of goods (and of their
 * points value on the day, as the stock sheet counts goods).
 */

export async function reliefReport(db: DB, actor: ActingUser, villageId: string, month: string): Promise<ReliefReport> {
  const village = await getVillage(db, actor, villageId)
  const lines = await reliefLines(db, villageId, monthRange(month, village.timezone))
  const products = new Map<string, ReliefReport['byProduct'][number]>()
  const tagged = new Map<string, Set<string>>()
  for (const l of lines) {
    const p = products.get(l.productId) ?? {
      productId: l.productId,
      name: l.productName,
      unit: l.unit,
      quantity: 0,
      points: 0,
    }
    p.quantity += l.quantity
    p.points += l.quantity * l.unitPoints
    products.set(l.productId, p)
    for (const tag of l.tags) {
      const set = tagged.get(tag) ?? new Set()
      set.add(l.householdNo)
      tagged.set(tag, set)
    }
  }
  return {
    month,
    village: { id: village.id, code: village.code, name: village.name },
    distributions: new Set(lines.map((l) => l.reliefId)).size,
    households: new Set(lines.map((l) => l.householdNo)).size,
    byProduct: [...products.values()],
    byTag: [...tagged].map(([tag, hs]) => ({ tag, households: hs.size })),
    lines,
  }
}

const LINE_HEADERS = ['日期', '事由', '户号', '户主', '类别', '物资', '单位', '数量', '单价(积分)']

export function reliefReportCsv(r: ReliefReport, timezone: string): string {
  const day = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: timezone })
  let out = BOM + csvLine(LINE_HEADERS)
  for (const l of r.lines)
    out += csvLine([
      day(l.at),
      l.note,
      l.householdNo,
      l.headName,
      l.tags.join('、'),
      l.productName,
      l.unit,
      l.quantity,
      l.unitPoints,
    ])
  return out
}

const REPORT_CSS = `
@page { size: A4; margin: 15mm 14mm; }
body { font: 13px/1.5 "Songti SC", "SimSun", "Noto Serif CJK SC", serif; max-width: 182mm; margin: 0 auto; }
h1 { text-align: center; font-size: 20px; } h2 { font-size: 16px; margin: 14px 0 4px; }
table { width: 100%; border-collapse: collapse; } th, td { border: 1px solid #000; padding: 3px 5px; }
td.num { text-align: right; } thead { display: table-header-group; }
`

export async function reliefReportPage(r: ReliefReport, timezone: string): Promise<string> {
  const day = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: timezone })
  const body = html`
<h1>${r.village.name} 阳光超市救助月报（${periodLabel(r.month)}）</h1>
<p>本月发放 ${r.distributions} 次，受助 ${r.households} 户。救助物资免费发放，不扣积分。</p>
<h2>按物资</h2>
<table><thead><tr><th>物资</th><th>单位</th><th>数量</th><th>积分价值</th></tr></thead><tbody>
${r.byProduct.map((p) => html`<tr><td>${p.name}</td><td>${p.unit ?? ''}</td><td class="num">${p.quantity}</td><td class="num">${p.points}</td></tr>`)}
</tbody></table>
<h2>按类别</h2>
<table><thead><tr><th>类别</th><th>受助户数</th></tr></thead><tbody>
${r.byTag.map((t) => html`<tr><td>${t.tag}</td><td class="num">${t.households}</td></tr>`)}
</tbody></table>
<h2>明细</h2>
<table><thead><tr>${LINE_HEADERS.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>
${r.lines.map((l) => html`<tr><td>${day(l.at)}</td><td>${l.note}</td><td>${l.householdNo}</td><td>${l.headName}</td><td>${l.tags.join('、')}</td><td>${l.productName}</td><td>${l.unit ?? ''}</td><td class="num">${l.quantity}</td><td class="num">${l.unitPoints}</td></tr>`)}
</tbody></table>
`
  return htmlPage(`阳光超市救助月报 ${r.month}`, REPORT_CSS, body)
}
