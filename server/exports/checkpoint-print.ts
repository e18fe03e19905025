import QRCode from 'qrcode'
import { type Html, html, raw } from '../http/html.js'
import type { Checkpoint } from '../ledger/checkpoint.js'

/** The checkpoint as the text a phone photographs: the JSON that `ledger/verify` takes back. */
export const checkpointText = (c: Checkpoint) => JSON.stringify(c)

/**
 * The printed checkpoint: its fields, and a small QR code of its JSON that a villager can photograph and
 * the township can hand back to `npm run verify -- --checkpoints` (inline SVG: the print CSP loads nothing).
 */
export async function checkpointBlock(c: Checkpoint): Promise<Html> {
  const svg = await QRCode.toString(checkpointText(c), {
    type: 'svg',
    errorCorrectionLevel: 'L',
    margin: 1,
    width: 120,
  })
  return html`<div class="checkpoint" style="display:flex;gap:4mm;align-items:center;margin-top:3mm">
<div style="width:30mm;height:30mm;flex:none">${raw(svg)}</div>
<p class="note">签名检查点（账本第 ${c.seq} 条，${c.at}）：链头 <span class="hash">${c.head}</span><br>
签名 <span class="hash">${c.signature}</span><br>请拍照留存此二维码：日后任何人可用它核验账本没有被改写、截断或换成旧副本。</p></div>`
}
