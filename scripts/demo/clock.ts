/*
 * A simulated clock for the generator: it lets a year of village life be written through the real services,
 * which stamp everything with `new Date()` / `Date.now()` (ledger entries' posting time, ids, award and
 * redemption times), without any of them taking a clock parameter.
 *
 * Once installed, `Date.now()` and `new Date()` return simulated time: real time plus an offset. The offset
 * only ever grows (travelTo never goes back), so simulated time is monotonic like real time, ids stay ordered
 * and every village's ledger has its posting times in chain order. Between jumps it runs at real speed.
 * Only the generator's own process installs it (demo, bench data, its test, which uninstalls it after).
 */

const RealDate = Date
let offset = 0
let installed = false

class SimulatedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offset)
    else super(...(args as [string]))
  }

  static override now(): number {
    return RealDate.now() + offset
  }
}

export interface SimulatedClock {
  /** Moves the clock forward to `instant` (ms since epoch); an instant already passed changes nothing. */
  travelTo(instant: number): void
  now(): number
  uninstall(): void
}

/** Installs the simulated clock at `start`, which may lie in the past. */
export function installSimulatedClock(start: number): SimulatedClock {
  if (installed) throw new Error('a simulated clock is already installed')
  installed = true
  offset = start - RealDate.now()
  globalThis.Date = SimulatedDate as DateConstructor
  return {
    travelTo(instant) {
      const wanted = instant - RealDate.now()
      if (wanted > offset) offset = wanted
    },
    now: () => RealDate.now() + offset,
    uninstall() {
      globalThis.Date = RealDate
      offset = 0
      installed = false
    },
  }
}

/** Real time, whatever clock is installed: for progress bars and timings. */
export const realNow = () => RealDate.now()
