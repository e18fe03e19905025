import { Worker } from 'node:worker_threads'
import { DomainError } from '../core/errors.js'
import type { FromWorker, SerializedError, Task, ToWorker } from './protocol.js'

/*
 * Long reads off the event loop: a few worker threads, each with its own read-only connection to the
 * database file (read-connection.ts), started when first needed and kept for the next task. better-sqlite3
 * is synchronous, so an export or a verification on the main thread stopped every counter for its length;
 * in a worker it costs the counter only a share of the CPU. Writes stay on the main connection.
 *
 * ':memory:' databases (tests) cannot be shared with another thread: callers run the same functions in-process
 * then (verifyLedger, monthlyExport, importRoster take the pool as an optional last argument).
 */

const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url).href
const BOOT = new URL('./boot.mjs', import.meta.url)
const WORKER_HEAP_MB = 192

interface Job {
  id: number
  task: Task
  transfer?: ArrayBuffer[]
  /** What the worker sends for this task, until it ends. */
  onMessage: (m: FromWorker) => void
  /** The worker died or the pool closed. */
  onFail: (err: Error) => void
}

interface Slot {
  worker: Worker
  job: Job | null
}

export function deserializeError(e: SerializedError): Error {
  if (e.name === 'DomainError' && e.code) return new DomainError(e.code, e.message, e.details)
  const err = new Error(e.message)
  err.name = e.name
  return err
}

export class WorkerPool {
  private readonly slots: Slot[] = []
  private readonly queue: Job[] = []
  private nextId = 1
  private closed = false

  constructor(
    readonly file: string,
    readonly size = 2,
  ) {}

  /** Runs a task that answers once. */
  run<T>(task: Task, transfer?: ArrayBuffer[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.submit({
        id: this.nextId++,
        task,
        transfer,
        onMessage: (m) => {
          if (m.type === 'result') resolve(m.value as T)
          else if (m.type === 'error') reject(deserializeError(m.error))
        },
        onFail: reject,
      })
    })
  }

  /**
   * Runs a task that answers a head, then a body: resolves with the head once the worker has it (an error
   * before it rejects, so the route can still answer with an error status), and a web stream of the body that
   * asks the worker for a chunk each time the client has taken one (back-pressure across the thread).
   */
  stream<H>(task: Task): Promise<{ head: H; body: ReadableStream<Uint8Array> }> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++
      // Chunks the worker sent that the client has not read yet (at most STREAM_WINDOW: the worker waits).
      const arrived: Uint8Array[] = []
      let ended = false
      let failure: Error | null = null
      let waiting: (() => void) | null = null
      const wake = () => {
        waiting?.()
        waiting = null
      }
      const body = new ReadableStream<Uint8Array>(
        {
          pull: async (controller) => {
            while (arrived.length === 0 && !ended && !failure) await new Promise<void>((r) => (waiting = r))
            if (arrived.length) {
              controller.enqueue(arrived.shift()!)
              // One chunk handed to the client: the worker may send one more.
              this.slotOf(id)?.worker.postMessage({ type: 'more', id } satisfies ToWorker)
            } else if (failure) controller.error(failure)
            else controller.close()
          },
          cancel: () => {
            const slot = this.slotOf(id)
            // The worker stops before its next chunk; the thread is free for the next task from now on.
            if (slot) {
              slot.worker.postMessage({ type: 'cancel', id } satisfies ToWorker)
              this.finish(slot)
            }
          },
        },
        { highWaterMark: 0 },
      )
      let started = false
      const fail = (err: Error) => {
        if (!started) return reject(err)
        console.error(JSON.stringify({ level: 'error', what: 'export stream failed', error: err.message }))
        failure = err
        wake()
      }
      this.submit({
        id,
        task,
        onMessage: (m) => {
          if (m.type === 'head') {
            started = true
            resolve({ head: m.value as H, body })
          } else if (m.type === 'chunk') {
            arrived.push(m.data)
            wake()
          } else if (m.type === 'end') {
            ended = true
            wake()
          } else if (m.type === 'error') fail(deserializeError(m.error))
        },
        onFail: fail,
      })
    })
  }

  private slotOf(id: number): Slot | undefined {
    return this.slots.find((s) => s.job?.id === id)
  }

  private submit(job: Job) {
    if (this.closed) return job.onFail(new Error('the worker pool is closed'))
    this.queue.push(job)
    this.dispatch()
  }

  private dispatch() {
    while (this.queue.length) {
      let slot = this.slots.find((s) => s.job === null)
      if (!slot && this.slots.length < this.size) slot = this.spawn()
      if (!slot) return
      const job = this.queue.shift()!
      slot.job = job
      slot.worker.ref()
      slot.worker.postMessage({ type: 'task', id: job.id, task: job.task } satisfies ToWorker, job.transfer ?? [])
    }
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT, {
      workerData: { entry: ENTRY, file: this.file },
      // A bounded heap: an export makes garbage fast (a string per row) and V8 collects lazily under a large
      // limit, which showed as ~600 MB peak RSS for a county's workbook. The data an export keeps (one row per
      // household) is a few tens of MB.
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    })
    const slot: Slot = { worker, job: null }
    worker.on('message', (m: FromWorker) => {
      const job = slot.job
      if (!job || job.id !== m.id) return
      job.onMessage(m)
      if (m.type === 'result' || m.type === 'error' || m.type === 'end') this.finish(slot)
    })
    const fail = (err: Error) => {
      const i = this.slots.indexOf(slot)
      if (i >= 0) this.slots.splice(i, 1)
      slot.job?.onFail(err)
      slot.job = null
      this.dispatch()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`a worker thread stopped (exit code ${code})`)))
    this.slots.push(slot)
    return slot
  }

  private finish(slot: Slot) {
    slot.job = null
    // An idle worker does not keep the process alive.
    slot.worker.unref()
    this.dispatch()
  }

  /**
   * Starts `count` threads now (they load their modules in the background), so the first task does not wait
   * for that. One, not the pool's size: each thread costs ~60 MB of resident memory; the second starts when
   * two tasks overlap.
   */
  warm(count = 1) {
    while (!this.closed && this.slots.length < Math.min(count, this.size)) this.spawn().worker.unref()
  }

  async close() {
    this.closed = true
    for (const job of this.queue.splice(0)) job.onFail(new Error('the worker pool is closed'))
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()))
  }
}
