import { type Html, html, raw } from '../http/html.js'
import type { PrintableCard } from './cards.service.js'

/*
 * The printable card sheet: A4, ten cards of bank-card size (85.6 × 54 mm, ISO ID-1) per page in two columns,
 * with dashed cut lines. The QR is about 40 mm wide, roughly 1 mm a module for a version-5 code, so a cheap
 * camera still reads a card that has spent a year in a pocket.
 */

export const CARDS_PER_PAGE = 10

const STYLE = `
  @page { size: A4 portrait; margin: 10mm; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; color: #000; }
  .toolbar { padding: 12px; font-size: 18px; }
  .toolbar button { font-size: 18px; padding: 6px 18px; }
  .page { display: grid; grid-template-columns: repeat(2, 85.6mm); grid-auto-rows: 54mm; gap: 0;
          justify-content: center; break-after: page; page-break-after: always; }
  .page:last-child { break-after: auto; page-break-after: auto; }
  .card { width: 85.6mm; height: 54mm; border: 0.2mm dashed #999; padding: 4mm; display: flex; gap: 3mm;
          overflow: hidden; break-inside: avoid; page-break-inside: avoid; }
  .info { flex: 1; min-width: 0; display: flex; flex-direction: column; justify-content: space-between; }
  .village { font-size: 3.6mm; font-weight: bold; line-height: 1.25; max-height: 9mm; overflow: hidden; }
  .title { font-size: 3.2mm; letter-spacing: 0.3mm; }
  .no { font-size: 3.4mm; }
  .head { font-size: 3.4mm; }
  .name { display: block; font-size: 5mm; font-weight: bold; line-height: 1.2; max-height: 12mm; overflow: hidden; overflow-wrap: anywhere; }
  .serial { font-size: 2.4mm; color: #444; }
  .qr { width: 41mm; height: 41mm; flex: none; align-self: center; }
  .qr svg { width: 100%; height: 100%; display: block; }
  @media screen { body { background: #eee; } .page { background: #fff; width: 190mm; margin: 0 auto 12px; padding: 5mm 0; } }
  @media print { .toolbar { display: none; } }
`

function cardHtml(villageName: string, card: PrintableCard): Html {
  return html`<section class="card">
  <div class="info">
    <div class="village">${villageName}</div>
    <div class="title">公益银行积分卡</div>
    <div class="no">户号：${card.householdNo}</div>
    <div class="head">户主<span class="name">${card.headName}</span></div>
    <div class="serial">卡号 ${card.serial} · 凭卡兑换，遗失请到村委会补办</div>
  </div>
  <div class="qr">${raw(card.svg)}</div>
</section>`
}

export async function renderCardSheet(villageName: string, cards: PrintableCard[]): Promise<string> {
  const pages: Html[] = []
  for (let i = 0; i < cards.length; i += CARDS_PER_PAGE) {
    pages.push(
      html`<div class="page">\n${cards.slice(i, i + CARDS_PER_PAGE).map((c) => [cardHtml(villageName, c), '\n'])}</div>`,
    )
  }
  const sheet = await html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${villageName} · 积分卡打印（${cards.length} 张）</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<div class="toolbar">共 ${cards.length} 张卡，${pages.length} 页（A4）。请用原尺寸（100%）打印，沿虚线裁剪。 <button type="button" onclick="window.print()">打印</button></div>
${pages.map((p) => [p, '\n'])}</body>
</html>
`
  return sheet.toString()
}
