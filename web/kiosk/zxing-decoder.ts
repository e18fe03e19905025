import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url'
import type { FrameDecoder } from './frame-decoder'

/*
 * Where the browser has no BarcodeDetector (desktop Linux and Windows Chromium, Firefox), zxing-wasm reads the
 * frames. Measured on a 640×480 camera frame holding a card QR (version 9, Node 20, this machine, median of 30):
 * zxing-wasm 1.5–2.1 ms per frame against jsQR's 10–86 ms (jsQR slows sharply with sensor noise), and 1.2 vs
 * 3.7 ms on the frames with no card, which is most of them. zxing-wasm is also maintained and reads product
 * barcodes (EAN) too; jsQR reads QR only. Its .wasm is served by this server, never a CDN: counters are offline.
 */
prepareZXingModule({
  overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
})

export async function zxingDecoder(): Promise<FrameDecoder> {
  const canvas = document.createElement('canvas')
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!
  return {
    name: 'zxing-wasm',
    async decode(video) {
      const w = video.videoWidth
      const h = video.videoHeight
      if (!w || !h) return null
      if (canvas.width !== w) canvas.width = w
      if (canvas.height !== h) canvas.height = h
      ctx.drawImage(video, 0, 0, w, h)
      const results = await readBarcodes(ctx.getImageData(0, 0, w, h), {
        formats: ['QRCode', 'EAN-13', 'EAN-8', 'Code128'],
        maxNumberOfSymbols: 1,
        tryHarder: false,
      })
      return results.find((r) => r.isValid)?.text ?? null
    },
  }
}
