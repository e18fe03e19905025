import { randomBytes } from 'node:crypto'

let lastMs = 0
let counter = 0

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
  const rand = randomBytes(5).readUIntBE(0, 5).toString(36).padStart(8, '0').slice(-8)
  return time + seq + rand
}

export const nowIso = () => new Date().toISOString()
