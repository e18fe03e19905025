import { ApiError } from '../../api/client'
import { counter } from '../../api/counter'
import { cardCodeFromScan } from '../../../shared/card-link'
import type { SyncResult } from '../../../shared/types/counter'
import { newIdempotencyKey } from '../idempotency'
import {
  addSale,
  getMeta,
  loadSnapshot,
  type OfflineSale,
  pendingSales,
  removeSales,
  saveSnapshot,
  setMeta,
  type Snapshot,
  type SnapshotHousehold,
} from './store'

/*
 * The counter without the network. While online the kiosk keeps a snapshot (goods, stock, balances, hashes of
 * the active cards); offline it recognises a card by its hash, lets each household spend at most its offline
 * allowance (the village's points a day, never more than its last known balance, less what this tablet sold it
 * offline and has not synced), and keeps each sale in IndexedDB until the server confirms it. Sync sends them
 * in the order they were made, each with its own key; posted, duplicate and conflict are all confirmations
 * (a conflict is kept by the server for an approver), so the sale leaves the tablet; anything else stays.
 */

export async function counterId(): Promise<string> {
  let id = await getMeta<string>('counterId')
  if (!id) {
    // Eight digits: read aloud and shown in the committee's Chinese pages as 柜台 12345678, no Latin letters.
    id = [...crypto.getRandomValues(new Uint16Array(4))].map((n) => String(n % 100).padStart(2, '0')).join('')
    await setMeta('counterId', id)
  }
  return id
}

async function report() {
  const pending = await pendingSales()
  return { counterId: await counterId(), pending: pending.length, oldestPendingAt: pending[0]?.soldAt }
}

/** Fetches a fresh snapshot (reporting this tablet's queue); null when the server cannot be reached. */
export async function refreshSnapshot(villageId: string): Promise<Snapshot | null> {
  const r = await report()
  try {
    const s = await counter.snapshot(villageId, r)
    await saveSnapshot(s)
    return s
  } catch (e) {
    if (e instanceof ApiError && e.isNetwork) return null
    throw e
  }
}

export { loadSnapshot, pendingSales }

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** The household whose active card this is, by the snapshot; null for an unknown or revoked card. */
export async function recogniseCard(snapshot: Snapshot, code: string): Promise<SnapshotHousehold | null> {
  // A card may carry the /me link (GONGYI_PUBLIC_URL): the snapshot hashes the bare code, as the server reads it.
  const hash = await sha256Hex(cardCodeFromScan(code))
  const card = snapshot.cards.find((c) => c.hash === hash)
  return card ? (snapshot.households.find((h) => h.id === card.householdId) ?? null) : null
}

/** The village's day, as the allowance counts it. */
export function villageDay(timezone: string, at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
}

/** What the household may still spend offline on this tablet today. */
export async function allowanceLeft(snapshot: Snapshot, h: SnapshotHousehold, now = new Date()): Promise<number> {
  const mine = (await pendingSales(snapshot.villageId)).filter((s) => s.householdId === h.id)
  const today = villageDay(snapshot.timezone, now)
  const spentToday = mine.filter((s) => s.day === today).reduce((n, s) => n + s.points, 0)
  const spentSinceSnapshot = mine.reduce((n, s) => n + s.points, 0)
  return Math.max(0, Math.min(snapshot.offlineAllowance - spentToday, h.balance - spentSinceSnapshot))
}

/** Stock left by the snapshot, less what this tablet sold offline since. */
export async function stockLeft(snapshot: Snapshot): Promise<Map<string, number>> {
  const left = new Map(snapshot.products.map((p) => [p.id, p.stock]))
  for (const s of await pendingSales(snapshot.villageId))
    for (const i of s.items) left.set(i.productId, (left.get(i.productId) ?? 0) - i.quantity)
  return left
}

export async function recordOfflineSale(
  snapshot: Snapshot,
  h: SnapshotHousehold,
  cardCode: string,
  items: { productId: string; quantity: number }[],
  points: number,
  pin?: string,
): Promise<OfflineSale> {
  const now = new Date()
  const id = await counterId()
  const n = (await getMeta<number>('seq')) ?? 0
  return addSale({
    idempotencyKey: newIdempotencyKey(),
    villageId: snapshot.villageId,
    localNo: `离线-${id.slice(-4)}-${String(n + 1).padStart(4, '0')}`,
    soldAt: now.toISOString(),
    day: villageDay(snapshot.timezone, now),
    householdId: h.id,
    cardCode,
    items,
    points,
    ...(pin ? { pin } : {}),
  })
}

export interface SyncOutcome {
  sent: number
  posted: number
  duplicate: number
  conflict: number
  left: number
}

let syncing: Promise<SyncOutcome> | null = null

/** Sends the waiting sales of the village, oldest first, in batches; one sync at a time. */
export function syncPending(villageId: string): Promise<SyncOutcome> {
  syncing ??= doSync(villageId).finally(() => (syncing = null))
  return syncing
}

async function doSync(villageId: string): Promise<SyncOutcome> {
  const out: SyncOutcome = { sent: 0, posted: 0, duplicate: 0, conflict: 0, left: 0 }
  for (;;) {
    const waiting = await pendingSales(villageId)
    if (!waiting.length) break
    const batch = waiting.slice(0, 50)
    let results: SyncResult[]
    try {
      const res = await counter.sync(villageId, {
        counterId: await counterId(),
        pending: waiting.length - batch.length,
        sales: batch.map((s) => ({
          idempotencyKey: s.idempotencyKey,
          soldAt: s.soldAt,
          cardCode: s.cardCode,
          items: s.items,
          points: s.points,
          localNo: s.localNo,
          ...(s.pin ? { pin: s.pin } : {}),
        })),
      })
      results = res.results
    } catch (e) {
      if (e instanceof ApiError && e.isNetwork) break
      throw e
    }
    out.sent += results.length
    for (const r of results) out[r.status]++
    await removeSales(results.map((r) => r.idempotencyKey))
  }
  out.left = (await pendingSales(villageId)).length
  return out
}
