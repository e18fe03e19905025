import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { CounterSnapshot } from '../../../shared/types/counter.js'
import { recogniseCard } from './counter-offline.js'

/* Offline card recognition by the snapshot's hashes, in Node (crypto.subtle is there too). */

const hash = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex')
const snapshot: CounterSnapshot = {
  villageId: 'v1', at: '2026-01-01T00:00:00.000Z', offlineAllowance: 50, timezone: 'Asia/Shanghai', products: [],
  households: [{ id: 'h1', no: '0208', name: '李桂芳', balance: 30, hasPin: false, suspendedUntil: null, offlineAllowance: 30 }],
  cards: [{ hash: hash('CARD.ACTIVE'), householdId: 'h1' }],
}

describe('recogniseCard', () => {
  it('knows an active card by its bare code and by the /me link a card carries with GONGYI_PUBLIC_URL', async () => {
    expect((await recogniseCard(snapshot, 'CARD.ACTIVE'))?.name).toBe('李桂芳')
    expect((await recogniseCard(snapshot, ' CARD.ACTIVE\n'))?.name).toBe('李桂芳')
    expect((await recogniseCard(snapshot, 'https://counter.village.test:8443/me#c=CARD.ACTIVE'))?.name).toBe('李桂芳')
  })

  it('does not know a card missing from the snapshot (revoked, or of another village)', async () => {
    expect(await recogniseCard(snapshot, 'CARD.REVOKED')).toBeNull()
    expect(await recogniseCard(snapshot, 'https://counter.village.test:8443/me#c=CARD.REVOKED')).toBeNull()
  })
})
