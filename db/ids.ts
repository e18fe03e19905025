import { randomBytes } from 'node:crypto'

let lastMs = 0
let counter = 0

// One randomBytes call per id cost ~5% of a bulk generation; draw from a pooled buffer instead.
const POOL_SIZE = 5 * 1024
let pool = randomBytes(POOL_SIZE)
let offset = 0

function random5(): number {
  if (offset + 5 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE)
    offset = 0
  }
  const n = pool.readUIntBE(offset, 5)
  offset += 5
  return n
}

/**
 * Opaque, time-ordered ids (like ULID): 9 base36 chars of milliseconds, 3 of a per-ms counter, 8 random.
 * Ordering by id is ordering by creation, which keeps cursor paging simple and stable.
 */
export function newId(): string {
  const now = Date.now()
  if (now === lastMs) counter++
  else {
    lastMs = now
    counter = 0
  }
  const time = now.toString(36).padStart(9, '0')
  const seq = counter.toString(36).padStart(3, '0')
  const rand = random5().toString(36).padStart(8, '0').slice(-8)
  return time + seq + rand
}

export const nowIso = () => new Date().toISOString()
