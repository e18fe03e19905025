import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

/*
 * The app's home-screen icons (web/public/icon-*.png): a white heart on the love supermarket's red, drawn
 * pixel by pixel so no image tool is needed. Run once: `npx tsx scripts/make-icons.ts`; the PNGs are committed.
 * The heart stays inside the middle 80%, the safe zone of a maskable icon.
 */

function crc32(buf: Buffer): number {
  let c = ~0
  for (const b of buf) {
    c ^= b
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1
  }
  return ~c >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

function icon(size: number): Buffer {
  const rows: Buffer[] = []
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3)
    for (let x = 0; x < size; x++) {
      // Heart curve (x² + y² − 1)³ − x² y³ ≤ 0, in a box of 0.56 of the icon.
      const u = ((x + 0.5) / size - 0.5) / 0.3
      const v = -((y + 0.5) / size - 0.52) / 0.3
      const heart = (u * u + v * v - 1) ** 3 - u * u * v ** 3 <= 0
      const [r, g, b] = heart ? [255, 255, 255] : [200, 32, 40]
      row[1 + x * 3] = r
      row[2 + x * 3] = g
      row[3 + x * 3] = b
    }
    rows.push(row)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

for (const size of [192, 512]) writeFileSync(new URL(`../web/public/icon-${size}.png`, import.meta.url), icon(size))
