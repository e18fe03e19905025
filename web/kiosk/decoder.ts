import type { FrameDecoder } from './frame-decoder'

export type { FrameDecoder }

interface NativeDetector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>
}
interface NativeDetectorClass {
  new (opts: { formats: string[] }): NativeDetector
  getSupportedFormats(): Promise<string[]>
}

const FORMATS = ['qr_code', 'ean_13', 'ean_8', 'code_128']

/**
 * The browser's own BarcodeDetector where it has one (Android, ChromeOS, macOS), else zxing-wasm, loaded only
 * now so that the kiosk's first load stays small (see zxing-decoder.ts for why zxing-wasm).
 */
export async function loadDecoder(): Promise<FrameDecoder> {
  const Native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector
  if (Native) {
    try {
      const supported = await Native.getSupportedFormats()
      if (supported.includes('qr_code')) {
        const detector = new Native({ formats: FORMATS.filter((f) => supported.includes(f)) })
        return { name: 'BarcodeDetector', decode: async (video) => (await detector.detect(video))[0]?.rawValue ?? null }
      }
    } catch {}
  }
  const { zxingDecoder } = await import('./zxing-decoder')
  return zxingDecoder()
}
