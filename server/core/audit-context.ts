import { AsyncLocalStorage } from 'node:async_hooks'
import { type DB, setTransactionHooks } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'

/*
 * The audit row of a request is written inside the transaction of the change it records (issue 13: 26 sales
 * confirmed before a kill -9 had no audit row when rows waited 20 ms in a buffer). http/audit-requests.ts opens
 * a scope per state-changing request; every withTransaction of that request (db/database.ts) calls
 * beforeCommit, which inserts the row (or, in a later transaction of the same request, updates it with what was
 * noted since). A transaction that rolls back takes its row with it. Services add what the row should say with
 * noteAudit: the household concerned, fields before → after, a mark such as a sale made without a card.
 * A request that changed nothing through a transaction gets its row from the middleware when it ends.
 */

export interface AuditWho {
  villageId: string | null
  userId: string | null
  username: string | null
  action: string
  target: string
}

interface Scope {
  who: () => AuditWho
  householdId: string | null
  changes: Record<string, unknown> | null
  /** Noted since the row was last written. */
  dirty: boolean
  /** The row committed with the change, once one is. */
  writtenId: string | null
  /** The row inserted or updated in the transaction now running. */
  pending: { id: string; inserted: boolean } | null
}

const scopes = new AsyncLocalStorage<Scope>()

export function runAudited<T>(who: () => AuditWho, fn: () => Promise<T>): Promise<T> {
  return scopes.run({ who, householdId: null, changes: null, dirty: false, writtenId: null, pending: null }, fn)
}

/** The audit row of this request, if a transaction committed one (the middleware then writes none). */
export const committedAuditRow = (): string | null => scopes.getStore()?.writtenId ?? null

/** What was noted for the current request's row (for the row the middleware writes when no transaction did). */
export function currentAuditNotes(): { householdId: string | null; changes: Record<string, unknown> | null } {
  const s = scopes.getStore()
  return { householdId: s?.householdId ?? null, changes: s?.changes ?? null }
}

/** What the audit row of the current request should also say; outside a request, nothing. */
export function noteAudit(note: { householdId?: string | null; changes?: Record<string, unknown> }) {
  const s = scopes.getStore()
  if (!s) return
  if (note.householdId !== undefined) s.householdId = note.householdId
  if (note.changes) s.changes = { ...(s.changes ?? {}), ...note.changes }
  s.dirty = true
}

/** `{field: [before, after]}` for the fields that differ, to note on an update. */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {}
  for (const [k, v] of Object.entries(after)) {
    if (v !== undefined && JSON.stringify(before[k] ?? null) !== JSON.stringify(v ?? null))
      out[k] = [before[k] ?? null, v ?? null]
  }
  return out
}

const noNul = <T extends string | null>(s: T): T => (s === null ? s : (s.replaceAll('\u0000', '\uFFFD') as T))

setTransactionHooks({
  async beforeCommit(trx: DB) {
    const s = scopes.getStore()
    if (!s || (s.writtenId && !s.dirty)) return
    const fields = { household_id: s.householdId, changes: s.changes ? JSON.stringify(s.changes) : null }
    if (s.writtenId) {
      await trx.updateTable('audit_log').set(fields).where('id', '=', s.writtenId).execute()
      s.pending = { id: s.writtenId, inserted: false }
      return
    }
    const w = s.who()
    const id = newId()
    // 200: committed. The row is written before the HTTP answer exists, so it records the change, not the status code.
    await trx
      .insertInto('audit_log')
      .values({
        id,
        village_id: noNul(w.villageId),
        user_id: noNul(w.userId),
        username: noNul(w.username),
        action: w.action,
        target: noNul(w.target),
        status: 200,
        outcome: 'ok',
        at: nowIso(),
        ...fields,
      })
      .execute()
    s.pending = { id, inserted: true }
  },
  committed() {
    const s = scopes.getStore()
    if (!s?.pending) return
    s.writtenId = s.pending.id
    s.pending = null
    s.dirty = false
  },
  rolledBack() {
    const s = scopes.getStore()
    if (s) s.pending = null
  },
})
