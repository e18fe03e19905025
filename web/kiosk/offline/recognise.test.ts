import { describe, expect, it } from 'vitest'
import type { CounterSnapshot } from '../../../shared/types/counter.js'
import { recogniseCard } from './counter-offline.js'

/* Offline card recognition by the snapshot's hashes, in Node (crypto.subtle is there too). */

/** SHA-256 hex, as the server's snapshot hashes a card code (server/cards/cards.service.ts cardCodeHash). */
const hash = async (code: string) =>
  [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code)))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
const snapshot: CounterSnapshot = {
  villageId: 'v1',
  at: '2026-01-01T00:00:00.000Z',
  offlineAllowance: 50,
  timezone: 'Asia/Shanghai',
  products: [],
  households: [
    { id: 'h1', no: '0208', name: '李桂芳', balance: 30, hasPin: false, suspendedUntil: null, offlineAllowance: 30 },
  ],
  cards: [{ hash: await hash('CARD.ACTIVE'), householdId: 'h1' }],
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
