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
}

export const DEFAULT_TIMING: ScanTiming = { minLength: 6, scanGapMs: 40, pauseMs: 500 }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[s.length >> 1]! : Infinity
}

/** Feeds key presses in; answers the scanned code when Enter ends a scanner's burst. */
export class ScanBuffer {
  private chars: string[] = []
  private times: number[] = []

  constructor(private readonly timing: ScanTiming = DEFAULT_TIMING) {}

  /** True when the next character would start a new burst (so the caller can note what the screen held). */
  startsBurst(at: number): boolean {
    const last = this.times[this.times.length - 1]
    return last === undefined || at - last > this.timing.pauseMs
  }

  key(key: string, at: number): string | null {
    if (key === 'Enter' || key === 'Tab') {
      const code = this.startsBurst(at) ? null : this.code()
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
    return this.chars.length >= this.timing.minLength && median(gaps) <= this.timing.scanGapMs ? this.chars.join('') : null
  }

  reset() {
    this.chars = []
    this.times = []
  }
}

type Editable = HTMLInputElement | HTMLTextAreaElement

const isEditable = (el: EventTarget | null): el is Editable => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement

/**
 * Listens anywhere on the page. When a scan lands in a focused text box (the search field), the box gets back
 * what it held before the burst, so the code does not end up as a search.
 * Returns the function that stops listening.
 */
export function listenForScans(onScan: (code: string) => void, timing: ScanTiming = DEFAULT_TIMING): () => void {
  const buffer = new ScanBuffer(timing)
  let before: { el: Editable; value: string } | null = null
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return
    const at = e.timeStamp || performance.now()
    if (e.key.length === 1 && buffer.startsBurst(at)) before = isEditable(e.target) ? { el: e.target, value: e.target.value } : null
    const code = buffer.key(e.key, at)
    if (!code) return
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
