/*
 * USB and Bluetooth scanners are keyboards: they type the code, then Enter, a few milliseconds per key.
 * A person types 100 ms or more between keys. So a scan is a burst of at least `minLength` characters,
 * every gap within `maxGapMs`, ended by Enter (or Tab, which some scanners send). Anything slower is a person
 * typing, and is left alone.
 */

export interface ScanTiming {
  /** Shortest code that counts as a scan (EAN-8 product barcodes are 8; card codes are ~80). */
  minLength: number
  /** Longest gap between two keys of one scan. Bluetooth scanners are slower than USB ones. */
  maxGapMs: number
}

export const DEFAULT_TIMING: ScanTiming = { minLength: 6, maxGapMs: 60 }

/** Feeds key presses in; answers the scanned code when Enter ends a fast enough burst. */
export class ScanBuffer {
  private chars: string[] = []
  private lastAt = -Infinity

  constructor(private readonly timing: ScanTiming = DEFAULT_TIMING) {}

  /** True when the next character would start a new burst (so the caller can note what the screen held). */
  startsBurst(at: number): boolean {
    return this.chars.length === 0 || at - this.lastAt > this.timing.maxGapMs
  }

  key(key: string, at: number): string | null {
    if (key === 'Enter' || key === 'Tab') {
      const fast = at - this.lastAt <= this.timing.maxGapMs
      const code = this.chars.join('')
      this.reset()
      return fast && code.length >= this.timing.minLength ? code : null
    }
    if (key.length !== 1) return null // Shift (scanners press it for capitals), arrows, …: not part of the code
    if (this.startsBurst(at)) this.chars = []
    this.chars.push(key)
    this.lastAt = at
    return null
  }

  reset() {
    this.chars = []
    this.lastAt = -Infinity
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
