import type { Context } from 'hono'
import type { DB } from '../../db/database.js'
import { isConnectionError } from '../../db/errors.js'
import type { AppEnv } from './types.js'

/*
 * A read that can wait (issue 20): on the hot standby when the server has one (GONGYI_DB_REPLICA) and it is close
 * enough behind, else on the primary. The answer says where it was read and how far behind:
 *   X-Gongyi-Read-From: standby | primary
 *   X-Gongyi-Replica-Lag-Ms: 120          (when the standby was asked)
 *   X-Gongyi-Replica-Fallback: why        (when the primary served a read meant for the standby)
 * A standby that stops answering between its last check and this read: the read runs again on the primary
 * (it is a read, nothing to undo), and the standby is passed over until it is checked again.
 * Without a standby: the primary, and no such headers.
 */
export async function onReportingDb<T>(c: Context<AppEnv>, read: (db: DB) => Promise<T>): Promise<T> {
  const { db, replica } = c.var.deps
  if (!replica) return read(db)
  const chosen = await replica.choose()
  const say = (from: string, lagMs: number | null, fallback?: string) => {
    c.header('x-gongyi-read-from', from)
    if (lagMs !== null) c.header('x-gongyi-replica-lag-ms', String(lagMs))
    if (fallback) c.header('x-gongyi-replica-fallback', fallback)
  }
  if (chosen.from === 'primary') {
    say('primary', chosen.lagMs, chosen.fallback)
    return read(db)
  }
  try {
    const out = await read(chosen.db)
    say('standby', chosen.lagMs)
    return out
  } catch (err) {
    if (!isConnectionError(err)) throw err
    const why = `standby unreachable (${(err as { code?: string }).code ?? (err as Error).message})`
    replica.markDown(why)
    say('primary', null, why)
    return read(db)
  }
}
