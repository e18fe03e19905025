import type { DB } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Row } from '../../db/schema.js'
import type { Page } from '../../shared/schemas/common.js'
import { type ActingUser, assertVillage } from '../core/actor.js'
import type { AuditRecord, AuditSink } from '../core/audit-sink.js'

/*
 * Where audit rows are written. A change made in a transaction gets its row inside that transaction
 * (core/audit-context.ts), so no commit is added on the counter's path and nothing is lost to a kill -9. What
 * is left — refusals, and the few changes made without a transaction — the middleware writes at once with
 * write(), before the answer leaves (issue 13: the old 20 ms buffer lost 26 confirmed sales' rows to a kill -9).
 * record() and flush() still batch, for callers that want it; shutdown flushes them.
 */
/** PostgreSQL text cannot hold NUL (SQLite's can): a refused request's path with one is still recorded. */
const noNul = <T extends string | null>(s: T): T => (s === null ? s : (s.replaceAll('\u0000', '\uFFFD') as T))

function toRow(r: AuditRecord): Row<'audit_log'> {
  return {
    id: newId(),
    village_id: noNul(r.villageId),
    user_id: noNul(r.userId),
    username: noNul(r.username),
    action: r.action,
    target: noNul(r.target)!,
    status: r.status,
    outcome: r.outcome,
    at: nowIso(),
    household_id: r.householdId ?? null,
    changes: r.changes ? JSON.stringify(r.changes) : null,
  }
}

export class AuditLog implements AuditSink {
  private queue: Row<'audit_log'>[] = []
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: DB,
    private readonly delayMs = 20,
  ) {}

  record(r: AuditRecord) {
    this.queue.push(toRow(r))
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs)
  }

  async write(r: AuditRecord) {
    try {
      await this.db.insertInto('audit_log').values(toRow(r)).execute()
    } catch (err) {
      console.error(JSON.stringify({ level: 'error', msg: 'audit write failed', error: String(err) }))
    }
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const batch = this.queue
    this.queue = []
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return
      try {
        await this.db.transaction().execute(async (trx) => {
          for (let i = 0; i < batch.length; i += 500)
            await trx
              .insertInto('audit_log')
              .values(batch.slice(i, i + 500))
              .execute()
        })
      } catch (err) {
        console.error(JSON.stringify({ level: 'error', msg: 'audit write failed', error: String(err) }))
      }
    })
    return this.flushing
  }
}

export async function listAudit(
  db: DB,
  actor: ActingUser,
  villageId: string,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<Page<unknown>> {
  assertVillage(actor, villageId)
  let q = db
    .selectFrom('audit_log')
    .selectAll()
    .where('village_id', '=', villageId)
    .orderBy('id', 'desc')
    .limit(limit + 1)
  if (cursor) q = q.where('id', '<', cursor)
  const rows = await q.execute()
  const page = rows.slice(0, limit)
  return {
    items: page.map((r) => ({
      id: r.id,
      at: r.at,
      userId: r.user_id,
      username: r.username,
      action: r.action,
      target: r.target,
      status: r.status,
      outcome: r.outcome,
    })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  }
}
