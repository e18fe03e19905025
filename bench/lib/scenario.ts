import type { Conditions } from './conditions.js'
import type { ReadyDataset, Size } from './datasets.js'

/** What every scenario gets from the runner. */
export interface BenchContext {
  size: Size
  rounds: number
  /** Length of one load round, in seconds. */
  seconds: number
  county: ReadyDataset
  big: ReadyDataset
  profileDir: string
  log: (line: string) => void
}

/** One row of BENCHMARKS.md's table. */
export interface Row {
  scenario: string
  data: string
  figure: string
  baseline: string
  ratio: string
  goal: string
  met: boolean | null
  /** Every round's figure, so the spread is visible. */
  rounds: string
  notes: string[]
  /** Load average and CPU calibration around the scenario (set by the runner). */
  conditions?: Conditions
}

export const yes = (met: boolean) => (met ? 'met' : 'MISSED')
