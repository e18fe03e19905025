import type { Context } from 'hono'
import type { DB } from '../../db/database.js'
import type { AppEnv } from './types.js'

/*
 * The database for a read that can wait (issue 20): the hot standby when the server has one (GONGYI_DB_REPLICA)
 * and it is close enough behind, else the primary. The answer says where it was read and how far behind:
 *   X-Gongyi-Read-From: standby | primary
 *   X-Gongyi-Replica-Lag-Ms: 120          (when the standby was asked)
 *   X-Gongyi-Replica-Fallback: why        (when the primary served a read meant for the standby)
 * Without a standby: the primary, and no such headers.
 */
export async function reportingDb(c: Context<AppEnv>): Promise<DB> {
  const { db, replica } = c.var.deps
  if (!replica) return db
  const read = await replica.choose()
  c.header('x-gongyi-read-from', read.from)
  if (read.lagMs !== null) c.header('x-gongyi-replica-lag-ms', String(read.lagMs))
  if (read.fallback) c.header('x-gongyi-replica-fallback', read.fallback)
  return read.db
}
