/** The counter offline: what the server answers (GET …/counter/snapshot, POST …/redemptions/sync, conflicts, counters). */

export interface SnapshotHousehold {
  id: string
  no: string
  name: string
  balance: number
  hasPin: boolean
  suspendedUntil: string | null
  offlineAllowance: number
}

export interface CounterSnapshot {
  villageId: string
  at: string
  offlineAllowance: number
  timezone: string
  products: {
    id: string
    sku: string
    name: string
    category: string | null
    unit: string | null
    barcode: string | null
    pointsPrice: number
    stock: number
  }[]
  households: SnapshotHousehold[]
  cards: { hash: string; householdId: string }[]
}

export type SyncStatus = 'posted' | 'duplicate' | 'conflict'

export interface SyncResult {
  idempotencyKey: string
  status: SyncStatus
  redemptionId?: string
  conflictId?: string
  error?: { code: string; message: string }
}

export interface RedemptionConflict {
  id: string
  idempotencyKey: string
  counterId: string | null
  soldAt: string
  householdId: string | null
  householdNo: string | null
  headName: string | null
  items: { productId: string; quantity: number; name: string | null }[]
  points: number
  error: { code: string; message: string }
  receivedAt: string
  status: 'open' | 'settled'
  settledAction: 'charge-available' | 'returned' | null
  settledReason: string | null
  settledAt: string | null
  /** The approver who settled it (username). */
  settledBy: string | null
  charged: number | null
  writtenOff: number | null
}

export interface CounterStatus {
  counterId: string
  pending: number
  oldestPendingAt: string | null
  lastSeenAt: string
  username: string | null
}
