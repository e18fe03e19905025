import type { ErrorCode } from '../../shared/errors.js'
import type { ExportFormat } from '../../shared/schemas/exports.js'
import type { ActingUser } from '../core/actor.js'

/**
 * Work a worker thread does on its own read-only connection to the database file. A task carries everything
 * it needs (the acting user, ids, the checkpoint key as PKCS#8 PEM for an export's signed checkpoint): a
 * worker reads neither the environment, nor the configuration, nor the key folder.
 */
export type Task =
  | { kind: 'verify-ledger'; actor: ActingUser; villageId: string }
  | { kind: 'check-part'; jobs: CheckJob[] }
  | {
      kind: 'monthly-export'
      actor: ActingUser
      villageId: string
      month: string
      format: ExportFormat
      checkpointKey: string
    }
  | { kind: 'prepare-roster'; villageId: string; bytes: Uint8Array }

/** A signed checkpoint as it travels to a thread (ledger/checkpoint.ts's Checkpoint, spelled out: workers/ does not import ledger/). */
export interface CheckpointData {
  villageId: string
  seq: number
  head: string
  at: string
  signature: string
  keyId?: string
}

/** A piece of the county check (server/ops/check-database.ts). */
export type CheckJob =
  | { kind: 'integrity' }
  | { kind: 'stock' }
  /** `checkpoints`: also check the chain passes through these, signed by `publicKey` (SPKI PEM; null: signatures not checked). */
  | {
      kind: 'village'
      id: string
      code: string
      name: string
      checkpoints?: CheckpointData[]
      publicKey?: string | null
    }

/** Main thread → worker. `more`: the main thread has taken a chunk of a stream; the worker may send another. */
export type ToWorker =
  | { type: 'task'; id: number; task: Task }
  | { type: 'more'; id: number }
  | { type: 'cancel'; id: number }

/** Worker → main thread. A task answers `result`, or `head` then `chunk`s then `end`; or `error`. */
export type FromWorker =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'head'; id: number; value: unknown }
  | { type: 'chunk'; id: number; data: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'error'; id: number; error: SerializedError }

export interface SerializedError {
  name: string
  message: string
  code?: ErrorCode
  details?: unknown
}

/** Chunks of a stream in flight between worker and main thread: the worker waits when this many are unread. */
export const STREAM_WINDOW = 4
/** A worker gathers small pieces of a stream to about this many bytes before sending them. */
export const CHUNK_BYTES = 256 * 1024
