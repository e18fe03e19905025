import { type DBSchema, type IDBPDatabase, openDB } from 'idb'
import type { CounterSnapshot, SnapshotHousehold } from '../../../shared/types/counter'

/*
 * The counter's own durable store, in IndexedDB (survives a reload, the browser being closed, the tablet
 * restarting): the last snapshot of each village, the tablet's id, and every sale made offline until the
 * server has confirmed it. `idb` (~1 KB) only turns IndexedDB's events into promises; its schema typing keeps
 * the stores' shapes in one place. Each write is one IndexedDB transaction, committed before the kiosk says
 * the sale is done.
 */

export type { SnapshotHousehold }
export type Snapshot = CounterSnapshot

export interface OfflineSale {
  idempotencyKey: string
  villageId: string
  /** Order of making, on this tablet. */
  seq: number
  localNo: string
  soldAt: string
  /** The village's day of the sale (YYYY-MM-DD), for the daily allowance. */
  day: string
  householdId: string
  cardCode: string
  pin?: string
  items: { productId: string; quantity: number }[]
  points: number
}

interface CounterDB extends DBSchema {
  meta: { key: string; value: unknown }
  snapshots: { key: string; value: Snapshot }
  sales: { key: string; value: OfflineSale; indexes: { bySeq: number } }
}

let opened: Promise<IDBPDatabase<CounterDB>> | null = null

export function counterDb(): Promise<IDBPDatabase<CounterDB>> {
  opened ??= openDB<CounterDB>('gongyi-counter', 1, {
    upgrade(db) {
      db.createObjectStore('meta')
      db.createObjectStore('snapshots')
      db.createObjectStore('sales', { keyPath: 'idempotencyKey' }).createIndex('bySeq', 'seq')
    },
  })
  return opened
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
  return (await (await counterDb()).get('meta', key)) as T | undefined
}

export async function setMeta(key: string, value: unknown) {
  await (await counterDb()).put('meta', value, key)
}

export async function saveSnapshot(s: Snapshot) {
  await (await counterDb()).put('snapshots', s, s.villageId)
}

export async function loadSnapshot(villageId: string): Promise<Snapshot | undefined> {
  return (await counterDb()).get('snapshots', villageId)
}

/** Adds a sale; resolves once IndexedDB has committed it. */
export async function addSale(sale: Omit<OfflineSale, 'seq'>): Promise<OfflineSale> {
  const db = await counterDb()
  const tx = db.transaction(['sales', 'meta'], 'readwrite')
  const seq = (((await tx.objectStore('meta').get('seq')) as number | undefined) ?? 0) + 1
  await tx.objectStore('meta').put(seq, 'seq')
  const full = { ...sale, seq }
  await tx.objectStore('sales').put(full)
  await tx.done
  return full
}

export async function pendingSales(villageId?: string): Promise<OfflineSale[]> {
  const all = await (await counterDb()).getAllFromIndex('sales', 'bySeq')
  return villageId ? all.filter((s) => s.villageId === villageId) : all
}

export async function removeSales(keys: string[]) {
  const db = await counterDb()
  const tx = db.transaction('sales', 'readwrite')
  await Promise.all([...keys.map((k) => tx.store.delete(k)), tx.done])
}
