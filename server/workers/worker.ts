import { parentPort, workerData } from 'node:worker_threads'
import { DomainError } from '../core/errors.js'
import {
  CHUNK_BYTES,
  type FromWorker,
  type SerializedError,
  STREAM_WINDOW,
  type Task,
  type ToWorker,
} from './protocol.js'
import { openReadConnection } from './read-connection.js'

/*
 * A worker thread of the pool (pool.ts). It opens its own read-only connection to the database file and runs
 * one task at a time: a result, or a stream whose chunks wait for the main thread to take them (at most
 * STREAM_WINDOW unread), so a slow download holds a few chunks here, not the whole export.
 */

const port = parentPort!
const { db, sqlite } = openReadConnection((workerData as { file: string }).file)
const send = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer)

/** Per stream: chunks the main thread may still take, and who waits for room. */
const streams = new Map<number, { credit: number; cancelled: boolean; wake: (() => void) | null }>()

function serialize(err: unknown): SerializedError {
  if (err instanceof DomainError)
    return { name: 'DomainError', message: err.message, code: err.code, details: err.details }
  const e = err as Error
  return { name: e?.name ?? 'Error', message: String(e?.stack ?? e?.message ?? err) }
}

async function stream(id: number, head: unknown, chunks: AsyncIterable<string | Uint8Array>) {
  const state = { credit: STREAM_WINDOW, cancelled: false, wake: null as (() => void) | null }
  streams.set(id, state)
  const encoder = new TextEncoder()
  send({ type: 'head', id, value: head })
  let pending: Uint8Array[] = []
  let size = 0
  const flush = async () => {
    while (state.credit === 0 && !state.cancelled) await new Promise<void>((resolve) => (state.wake = resolve))
    if (state.cancelled || size === 0) return
    const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending, size)
    pending = []
    size = 0
    state.credit--
    // A fresh buffer is transferred (no copy); a view into a larger one is copied first.
    const owned = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice()
    send({ type: 'chunk', id, data: owned }, [owned.buffer as ArrayBuffer])
  }
  try {
    for await (const piece of chunks) {
      const bytes = typeof piece === 'string' ? encoder.encode(piece) : piece
      pending.push(bytes)
      size += bytes.byteLength
      if (size >= CHUNK_BYTES) await flush()
      if (state.cancelled) return
    }
    await flush()
    if (!state.cancelled) send({ type: 'end', id })
  } finally {
    streams.delete(id)
  }
}

async function run(id: number, task: Task) {
  // Each task loads only its own modules: a thread that verifies never compiles the exports or pinyin.
  switch (task.kind) {
    case 'verify-ledger': {
      const { verifyLedger } = await import('../ledger/verify.js')
      return send({ type: 'result', id, value: await verifyLedger(db, task.actor, task.villageId) })
    }
    case 'check-part': {
      const { checkJob } = await import('../ops/check-database.js')
      const results = []
      for (const job of task.jobs) results.push(await checkJob(sqlite, db, job))
      return send({ type: 'result', id, value: results })
    }
    case 'prepare-roster': {
      const { prepareRoster } = await import('../households/roster-import.js')
      return send({ type: 'result', id, value: prepareRoster(task.villageId, task.bytes) })
    }
    case 'monthly-export': {
      const { monthlyExportParts } = await import('../exports/monthly.js')
      const { checkpointKeyFromPem } = await import('../ledger/checkpoint.js')
      const key = checkpointKeyFromPem(task.checkpointKey)
      const { head, chunks } = await monthlyExportParts(db, task.actor, task.villageId, task.month, task.format, key)
      return stream(id, head, chunks)
    }
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'task') {
    run(m.id, m.task).catch((err) => send({ type: 'error', id: m.id, error: serialize(err) }))
    return
  }
  const s = streams.get(m.id)
  if (!s) return
  if (m.type === 'more') s.credit++
  else s.cancelled = true
  s.wake?.()
  s.wake = null
})
