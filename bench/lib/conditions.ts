import { createHash } from 'node:crypto'
import { loadavg } from 'node:os'

/*
 * What the machine was doing around a scenario: the load average and a CPU calibration (a fixed CPU-bound
 * loop, timed), before and after. A shared two-core box runs other people's tests: a figure taken while the
 * 1-minute load was above 1.0 is marked busy in BENCHMARKS.md, and the calibration shows how much of a
 * core this process got (the same loop on an idle machine takes CALIBRATION_IDLE_MS or so).
 */

const ROUNDS = 100_000

/** sha256 of 64 bytes, ROUNDS times, on this thread: milliseconds. */
export function calibrate(): number {
  const data = Buffer.alloc(64, 7)
  const t = performance.now()
  let h = data
  for (let i = 0; i < ROUNDS; i++) h = createHash('sha256').update(h).digest()
  return Math.round(performance.now() - t)
}

export interface Conditions {
  loadBefore: number
  loadAfter: number
  calBeforeMs: number
  calAfterMs: number
}

export const BUSY_LOAD = 1.0

export const isBusy = (c: Conditions) => c.loadBefore > BUSY_LOAD || c.loadAfter > BUSY_LOAD

export async function measured<T>(work: () => Promise<T>): Promise<{ value: T; conditions: Conditions }> {
  const loadBefore = loadavg()[0]!
  const calBeforeMs = calibrate()
  const value = await work()
  const loadAfter = loadavg()[0]!
  const calAfterMs = calibrate()
  return { value, conditions: { loadBefore, loadAfter, calBeforeMs, calAfterMs } }
}

export const describeConditions = (c: Conditions) =>
  `load ${c.loadBefore.toFixed(2)} → ${c.loadAfter.toFixed(2)}, calibration ${c.calBeforeMs} → ${c.calAfterMs} ms${isBusy(c) ? ' (busy machine)' : ''}`
