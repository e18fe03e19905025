import type { SettleConflictInput, SyncInput } from '../../shared/schemas/counter.js'
import type { CounterSnapshot, CounterStatus, RedemptionConflict, SyncResult } from '../../shared/types/counter.js'
import type { Page } from '../../shared/types/page.js'
import { http, qs } from './client.js'

/** What a tablet reports of its queue of unsynced sales with every snapshot it fetches. */
export interface CounterReport {
  counterId: string
  pending: number
  oldestPendingAt?: string
}

/** How the committee's pages name a counter: its digits (tablets set up before them carry `counter-<hex>`). */
export const counterLabel = (id: string) => id.replace(/^counter-/, '')

/** The counter offline: its snapshot, its sales coming home, their conflicts, and the counters' queues. */
export const counter = {
  snapshot: (vid: string, report: CounterReport) =>
    http.get<CounterSnapshot>(`/api/villages/${vid}/counter/snapshot${qs({ ...report })}`),
  sync: (vid: string, body: SyncInput) =>
    http.post<{ results: SyncResult[] }>(`/api/villages/${vid}/redemptions/sync`, body),
  conflicts: (vid: string, query: { status?: 'open' | 'settled' | 'all' } = {}) =>
    http.get<Page<RedemptionConflict>>(`/api/villages/${vid}/redemptions/conflicts${qs(query)}`),
  settle: (id: string, body: SettleConflictInput) =>
    http.post<RedemptionConflict>(`/api/redemption-conflicts/${id}/settle`, body),
  counters: (vid: string) => http.get<Page<CounterStatus>>(`/api/villages/${vid}/counters`),
}
