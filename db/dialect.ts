import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, PostgresAdapter, sql } from 'kysely'

type DataTypeExpression = Parameters<CreateTableBuilder<any>['addColumn']>[1]

/*
 * The two databases Gongyi runs on. Services write dialect-neutral Kysely; the few places where the dialect
 * matters (migrations, the per-village write lock, the search) ask dialectOf().
 */
export type Dialect = 'sqlite' | 'postgres'

export const isPostgresUrl = (target: string) => /^postgres(ql)?:\/\//i.test(target)

/** The dialect of a Kysely instance or transaction (from its adapter, so it works on a trx too). */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

/**
 * Serialises the writes of one village: call first thing in every write transaction that touches a village's
 * ledger, stock or idempotency keys. Everything read after it (the chain head, balances, stock, an earlier
 * answer under the same Idempotency-Key) is what the transaction's writes build on, and no other transaction
 * of the village can change it before the commit.
 * - PostgreSQL: a transaction-scoped advisory lock on a 64-bit hash of the village id; other villages write
 *   in parallel. Taking it twice in one transaction is harmless.
 * - SQLite: nothing to do, the transaction is BEGIN IMMEDIATE (one writer for the whole file).
 */
export async function lockVillage(trx: Kysely<any>, villageId: string): Promise<void> {
  if (!trx.isTransaction) throw new Error('lockVillage must run inside a transaction')
  if (dialectOf(trx) !== 'postgres') return
  await sql`select pg_advisory_xact_lock(hashtextextended(${villageId}, 0))`.execute(trx)
}

/** An integer primary key the database numbers: SQLite's AUTOINCREMENT, PostgreSQL's bigint identity. */
export function autoId(db: Kysely<any>): [DataTypeExpression, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return dialectOf(db) === 'postgres'
    ? ['bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()]
    : ['integer', (c) => c.primaryKey().autoIncrement()]
}

/** Bytes: SQLite's blob, PostgreSQL's bytea. */
export const bytesType = (db: Kysely<any>): DataTypeExpression => (dialectOf(db) === 'postgres' ? 'bytea' : 'blob')

type VillageOwned = 'awards' | 'ledger_entries' | 'rules' | 'households' | 'redemptions' | 'products'

/**
 * lockVillage for a write that names a row, not its village (approve award X, reverse entry Y): the row's
 * village_id never changes, so it is read first, then locked; what the transaction reads next is current.
 */
export async function lockVillageOf(trx: Kysely<any>, table: VillageOwned, id: string): Promise<void> {
  if (!trx.isTransaction) throw new Error('lockVillageOf must run inside a transaction')
  if (dialectOf(trx) !== 'postgres') return
  const row = await trx.selectFrom(table).select('village_id').where('id', '=', id).executeTakeFirst()
  if (row) await lockVillage(trx, row.village_id as string)
}

/**
 * SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's does not, ILIKE does (of every letter, a
 * superset that only matters for accented Latin letters). Both take `escape '\'` the same way.
 */
export const caseInsensitiveLike = (db: Kysely<any>) => sql.raw(dialectOf(db) === 'postgres' ? 'ilike' : 'like')
