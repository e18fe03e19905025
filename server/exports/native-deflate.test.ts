import { crc32 } from 'node:zlib'
import { Zip, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { NativeDeflate } from './xlsx.js'

/** Zips pieces into one member the way the workbook writer does, and answers the archive's bytes. */
function zipOf(pieces: Uint8Array[]): Uint8Array {
  const out: Uint8Array[] = []
  const zip = new Zip((err, chunk) => {
    if (err) throw err
    out.push(chunk)
  })
  const file = new NativeDeflate('sheet.xml', 1)
  zip.add(file)
  for (const p of pieces) file.push(p)
  file.push(new Uint8Array(0), true)
  zip.end()
  return Buffer.concat(out)
}

describe('a sheet deflated by zlib piece by piece', () => {
  const encoder = new TextEncoder()
  const pieces = Array.from({ length: 40 }, (_, p) =>
    encoder.encode(
      Array.from(
        { length: 300 },
        (_, i) => `<row r="${p * 300 + i}"><c><v>${i * p}</v></c><c t="inlineStr"><is><t>李国${i}</t></is></c></row>`,
      ).join(''),
    ),
  )
  const whole = Buffer.concat(pieces)
  const archive = zipOf(pieces)

  it('reads back as exactly the text written, one valid DEFLATE stream across the pieces', () => {
    expect(Buffer.from(unzipSync(archive)['sheet.xml']!).equals(whole)).toBe(true)
    expect(archive.length).toBeLessThan(whole.length / 5)
  })

  it("records the text's CRC-32 and size in the central directory, as unzip and Excel check them", () => {
    const buf = Buffer.from(archive)
    const at = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) // the central directory's one entry
    expect(buf.readUInt32LE(at + 16)).toBe(crc32(whole))
    expect(buf.readUInt32LE(at + 24)).toBe(whole.length)
    expect(buf.readUInt16LE(at + 10)).toBe(8) // deflate
  })
})
