/*
 * USB and Bluetooth scanners are keyboards: they type the code, then Enter, a few milliseconds per key.
 * A person types 100 ms or more between keys. So a scan is at least `minLength` characters whose typical
 * (median) gap is within `scanGapMs`, ended by Enter (or Tab, which some scanners send). The median, not the
 * largest gap, decides: a Bluetooth scanner or a busy tablet now and then delays one key, while even a fast
 * typist's median gap is far above a scanner's.
 */

export interface ScanTiming {
  /** Shortest code that counts as a scan (EAN-8 product barcodes are 8; card codes are ~80). */
  minLength: number
  /** A scan's median gap between keys is at most this. */
  scanGapMs: number
  /** A pause longer than this starts over. */
  pauseMs: number
  /**
   * A slow (cheap Bluetooth) scanner: the median gap at most this, and the code has a card code's form (nobody
   * types 80 characters of base64url at 150 ms a key without a pause).
   */
  slowGapMs: number
}

export const DEFAULT_TIMING: ScanTiming = { minLength: 6, scanGapMs: 40, pauseMs: 500, slowGapMs: 150 }

/** A card code's form: base64url payload '.' base64url signature (server/cards/card-code.ts). */
export const CARD_CODE_FORM = /^[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{20,}$/

/** A burst this long ending in Enter, too slow for a scan, is a scanner typing too slowly (not a person). */
const SLOW_BURST_LENGTH = 20

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[s.length >> 1]! : Infinity
}

/** Feeds key presses in; answers the scanned code when Enter ends a scanner's burst. */
export class ScanBuffer {
  private chars: string[] = []
  private times: number[] = []
  /** The last Enter ended a long burst that came too slowly to count as a scan. */
  tooSlow = false

  constructor(private readonly timing: ScanTiming = DEFAULT_TIMING) {}

  /** True when the next character would start a new burst (so the caller can note what the screen held). */
  startsBurst(at: number): boolean {
    const last = this.times[this.times.length - 1]
    return last === undefined || at - last > this.timing.pauseMs
  }

  key(key: string, at: number): string | null {
    if (key === 'Enter' || key === 'Tab') {
      const code = this.startsBurst(at) ? null : this.code()
      this.tooSlow = code === null && !this.startsBurst(at) && this.chars.length >= SLOW_BURST_LENGTH
      this.reset()
      return code
    }
    if (key.length !== 1) return null // Shift (scanners press it for capitals), arrows, …: not part of the code
    if (this.startsBurst(at)) this.reset()
    this.chars.push(key)
    this.times.push(at)
    return null
  }

  private code(): string | null {
    const gaps = this.times.slice(1).map((t, i) => t - this.times[i]!)
    const text = this.chars.join('')
    if (this.chars.length < this.timing.minLength) return null
    if (median(gaps) <= this.timing.scanGapMs) return text
    const slowScanner = median(gaps) <= this.timing.slowGapMs && CARD_CODE_FORM.test(text)
    return slowScanner ? text : null
  }

  reset() {
    this.chars = []
    this.times = []
  }
}

type Editable = HTMLInputElement | HTMLTextAreaElement

const isEditable = (el: EventTarget | null): el is Editable =>
  el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement

/**
 * Listens anywhere on the page. When a scan lands in a focused text box (the search field), the box gets back
 * what it held before the burst, so the code does not end up as a search.
 * Returns the function that stops listening.
 */
export function listenForScans(
  onScan: (code: string) => void,
  timing: ScanTiming = DEFAULT_TIMING,
  onTooSlow?: () => void,
): () => void {
  const buffer = new ScanBuffer(timing)
  let before: { el: Editable; value: string } | null = null
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return
    const at = e.timeStamp || performance.now()
    if (e.key.length === 1 && buffer.startsBurst(at))
      before = isEditable(e.target) ? { el: e.target, value: e.target.value } : null
    const code = buffer.key(e.key, at)
    if (!code) {
      if (buffer.tooSlow) onTooSlow?.()
      return
    }
    e.preventDefault()
    e.stopPropagation()
    if (before) {
      before.el.value = before.value
      before.el.dispatchEvent(new Event('input', { bubbles: true }))
    }
    before = null
    onScan(code)
  }
  window.addEventListener('keydown', onKeyDown, true)
  return () => window.removeEventListener('keydown', onKeyDown, true)
}
