import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import type { DB } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import { SYSTEM_ACTOR } from '../core/actor.js'
import { type VerifyResult, verifyLedger } from '../ledger/verify.js'

export interface DatabaseCheck {
  ok: boolean
  /** SQLite's own `PRAGMA integrity_check`: 'ok' or its first complaints. */
  integrity: string
  villages: { id: string; code: string; name: string; ledger: VerifyResult }[]
  /** Products whose stock is not the sum of their stock moves. */
  stock: { productId: string; villageId: string; stock: number; moves: number }[]
  /** Why the file could not be checked at all (not a Gongyi database, unreadable). */
  error?: string
}

/**
 * Everything that must hold in a Gongyi database, checked from one read snapshot: the file's structure,
 * every village's hash chain and balances (verifyLedger), and every product's stock against its moves.
 */
export async function checkDatabase(sqlite: SQLite.Database): Promise<DatabaseCheck> {
  const db: DB = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  const result: DatabaseCheck = { ok: false, integrity: '', villages: [], stock: [] }
  // A deferred BEGIN on the raw handle: Kysely's queries below run inside it, so a server writing meanwhile
  // (WAL) does not make the sums and the balances disagree by a request.
  sqlite.exec('BEGIN')
  try {
    result.integrity = (sqlite.pragma('integrity_check', { simple: false }) as { integrity_check: string }[])
      .slice(0, 5).map((r) => r.integrity_check).join('; ')
    const villages = await db.selectFrom('villages').select(['id', 'code', 'name']).orderBy('code').execute()
    for (const v of villages) result.villages.push({ ...v, ledger: await verifyLedger(db, SYSTEM_ACTOR, v.id) })
    result.stock = await stockMismatches(db)
    result.ok = result.integrity === 'ok' && result.villages.every((v) => v.ledger.ok) && result.stock.length === 0
  } catch (err) {
    result.error = String((err as Error)?.message ?? err)
  } finally {
    if (sqlite.inTransaction) sqlite.exec('COMMIT')
  }
  return result
}

async function stockMismatches(db: DB) {
  const rows = await db
    .selectFrom('products as p')
    .select(['p.id', 'p.village_id', 'p.stock', sql<number>`coalesce((select sum(m.quantity) from stock_moves m where m.product_id = p.id), 0)`.as('moves')])
    .execute()
  return rows.filter((r) => Number(r.moves) !== r.stock).map((r) => ({ productId: r.id, villageId: r.village_id, stock: r.stock, moves: Number(r.moves) }))
}

/** Opens a database file only to read it (no migration, no pragma that writes) and checks it. */
export async function checkDatabaseFile(file: string): Promise<DatabaseCheck> {
  let sqlite: SQLite.Database
  try {
    sqlite = new SQLite(file, { fileMustExist: true })
    sqlite.pragma('busy_timeout = 5000')
  } catch (err) {
    return { ok: false, integrity: '', villages: [], stock: [], error: String((err as Error)?.message ?? err) }
  }
  try {
    return await checkDatabase(sqlite)
  } finally {
    sqlite.close()
  }
}

/** The check as lines a village clerk or a technician can read; the first bad entry is named. */
export function describeCheck(check: DatabaseCheck): string[] {
  const lines: string[] = []
  if (check.error) lines.push(`✗ cannot read the database: ${check.error}`)
  if (check.integrity && check.integrity !== 'ok') lines.push(`✗ SQLite integrity check: ${check.integrity}`)
  for (const v of check.villages) {
    const l = v.ledger
    if (l.ok) lines.push(`✓ ${v.code} ${v.name}: ${l.entries} ledger entries, chain head ${l.head.slice(0, 16)}…, balances equal postings`)
    else {
      const where = l.firstBad?.entryId ? `entry ${l.firstBad.entryId} (seq ${l.firstBad.seq})` : 'balances'
      lines.push(`✗ ${v.code} ${v.name}: first bad ${where}: ${l.firstBad?.problem}`)
    }
  }
  for (const s of check.stock) lines.push(`✗ product ${s.productId}: stock ${s.stock} ≠ stock moves ${s.moves}`)
  if (check.ok) lines.push(`OK: ${check.villages.length} village(s) verified, stock equals its movements`)
  else lines.push('FAILED: this database does not verify')
  return lines
}
