import { type DB, lockVillage } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { AccountKind, EntryKind, Row } from '../../db/schema.js'
import { entryHash, GENESIS } from './hash-chain.js'
import { type ActingUser, assertVillage } from '../core/actor.js'
import { DomainError } from '../core/errors.js'

/*
 * The points ledger. Every entry is one balanced transaction between a household's account and one of the
 * village's system accounts (issuance, penalties, supermarket, expired): two postings that sum to zero.
 * Entries are only ever appended (the database refuses UPDATE and DELETE on them), each village's entries
 * form a hash chain, and account balances are updated in the same transaction as the postings.
 *
 * Callers pass a transaction handle: appendEntries must run inside the transaction that decided them.
 */

export type SystemAccount = Exclude<AccountKind, 'household'>

/** A household's account id is the household's id; a system account's is '<villageId>:<kind>'. */
export const householdAccount = (householdId: string) => householdId
export const systemAccount = (villageId: string, kind: SystemAccount) => `${villageId}:${kind}`

export interface EntrySpec {
  kind: EntryKind
  householdId: string
  /** The household's side: positive credits the household, negative debits it. */
  amount: number
  /** The village account on the other side of the entry. */
  counter: SystemAccount
  memo: string
  occurredOn?: string | null
  ruleId?: string | null
  awardId?: string | null
  redemptionId?: string | null
  reversesId?: string | null
  /** Change to the household's lifetime honour (awards and deductions, and their reversals). */
  honourDelta?: number
}

export interface AppendedEntry {
  id: string
  seq: number
  householdId: string
  amount: number
  balanceAfter: number
  at: string
}

const CHUNK = 400

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Creates the village's system accounts; called when the village is created. */
export async function openVillageAccounts(trx: DB, villageId: string) {
  const kinds: SystemAccount[] = ['issuance', 'penalties', 'supermarket', 'expired']
  await trx
    .insertInto('accounts')
    .values(
      kinds.map((kind) => ({
        id: systemAccount(villageId, kind),
        village_id: villageId,
        kind,
        household_id: null,
        balance: 0,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** Creates the household's points account; called with the household's insert. */
export async function openHouseholdAccounts(trx: DB, villageId: string, householdIds: string[]) {
  for (const part of chunks(householdIds)) {
    await trx
      .insertInto('accounts')
      .values(
        part.map((id) => ({
          id: householdAccount(id),
          village_id: villageId,
          kind: 'household' as const,
          household_id: id,
          balance: 0,
        })),
      )
      .execute()
  }
}

export async function chainHead(trx: DB, villageId: string): Promise<{ seq: number; hash: string; at: string }> {
  const last = await trx
    .selectFrom('ledger_entries')
    .select(['seq', 'hash', 'at'])
    .where('village_id', '=', villageId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return last ?? { seq: 0, hash: GENESIS, at: '' }
}

/**
 * The households' spendable balances, each checked against the ledger: the kept balance is a cache, and it
 * must equal the hashed `balance_after` of the household's last entry (0 with none). A cell edited behind the
 * application's back (`accounts.balance = 90000`) is refused with LEDGER_MISMATCH before anything is spent
 * or posted on it. One query: an indexed lookup (ledger_by_household) per household.
 */
export async function householdBalances(trx: DB, householdIds: string[]): Promise<Map<string, number>> {
  const balances = new Map<string, number>()
  for (const part of chunks([...new Set(householdIds)])) {
    const rows = await trx
      .selectFrom('accounts as a')
      .select((eb) => [
        'a.id',
        'a.balance',
        eb
          .selectFrom('ledger_entries as e')
          .select('e.balance_after')
          .whereRef('e.household_id', '=', 'a.id')
          .orderBy('e.seq', 'desc')
          .limit(1)
          .as('ledger'),
      ])
      .where('a.id', 'in', part.map(householdAccount))
      .execute()
    for (const r of rows) {
      if (r.balance !== (r.ledger ?? 0)) throw ledgerMismatch(r.id, r.balance, r.ledger ?? 0)
      balances.set(r.id, r.balance)
    }
  }
  return balances
}

export const ledgerMismatch = (householdId: string, kept: number, ledger: number) =>
  new DomainError(
    'LEDGER_MISMATCH',
    `余额与账本不符，暂停兑换 (household ${householdId}: stored balance ${kept} ≠ ledger ${ledger})`,
    { householdId, balance: kept, ledger },
  )

/**
 * Every household of a village whose kept balance differs from its last entry's balance_after: what the
 * committee's dashboard shows in red. A scan of the village (off the counter's path).
 */
export async function balanceMismatches(db: DB, actor: ActingUser, villageId: string) {
  assertVillage(actor, villageId)
  const rows = await db
    .selectFrom('accounts as a')
    .innerJoin('households as h', 'h.id', 'a.id')
    .select((eb) => [
      'a.id',
      'a.balance',
      'h.household_no',
      'h.head_name',
      eb
        .selectFrom('ledger_entries as e')
        .select('e.balance_after')
        .whereRef('e.household_id', '=', 'a.id')
        .orderBy('e.seq', 'desc')
        .limit(1)
        .as('ledger'),
    ])
    .where('a.village_id', '=', villageId)
    .execute()
  return rows
    .filter((r) => r.balance !== (r.ledger ?? 0))
    .map((r) => ({
      householdId: r.id,
      householdNo: r.household_no,
      headName: r.head_name,
      balance: r.balance,
      ledger: r.ledger ?? 0,
    }))
}

/** Adds the same delta to many rows in a few statements: a 10,000-household award is ~25 updates, not 10,000. */
async function addToMany(
  trx: DB,
  table: 'accounts' | 'households',
  column: 'balance' | 'honour',
  deltas: Map<string, number>,
) {
  const byDelta = new Map<number, string[]>()
  for (const [id, d] of deltas) if (d !== 0) byDelta.set(d, [...(byDelta.get(d) ?? []), id])
  for (const [delta, ids] of byDelta) {
    for (const part of chunks(ids)) {
      await trx
        .updateTable(table as 'accounts')
        .set((eb) => ({ [column]: eb(eb.ref(column as 'balance'), '+', delta) }))
        .where('id', 'in', part)
        .execute()
    }
  }
}

/**
 * Appends entries to the village's chain and moves the balances, inside the caller's transaction.
 * All or nothing with the caller's other writes.
 */
export async function appendEntries(
  trx: DB,
  villageId: string,
  actorId: string | null,
  specs: EntrySpec[],
  /**
   * Balances that householdBalances read and checked earlier in this same transaction (the village locked
   * since), so that a sale does not read and check them twice; read here when not given.
   */
  checked?: Map<string, number>,
): Promise<AppendedEntry[]> {
  if (specs.length === 0) return []
  // The caller locked the village before its reads; taking it again is free and keeps the chain from forking
  // should a caller ever forget (on PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the file).
  await lockVillage(trx, villageId)
  const head = await chainHead(trx, villageId)
  let { seq, hash } = head
  const ids = specs.map((s) => s.householdId)
  const balances =
    checked && ids.every((id) => checked.has(householdAccount(id)))
      ? new Map(checked)
      : await householdBalances(trx, ids)
  // Posting times never go backwards, even if the village PC's clock does: months are cut by time, and an
  // entry stamped before its predecessor would land in the wrong month's statement.
  const now = nowIso()
  const at = now > head.at ? now : head.at
  const entryRows: Row<'ledger_entries'>[] = []
  const postingRows: { village_id: string; entry_id: string; account_id: string; amount: number }[] = []
  const accountDeltas = new Map<string, number>()
  const honourDeltas = new Map<string, number>()
  const appended: AppendedEntry[] = []

  for (const s of specs) {
    if (!Number.isSafeInteger(s.amount) || s.amount === 0)
      throw new Error(`ledger amount must be a non-zero integer: ${s.amount}`)
    const hAcc = householdAccount(s.householdId)
    const before = balances.get(hAcc)
    if (before === undefined) throw new Error(`household ${s.householdId} has no account`)
    const balanceAfter = before + s.amount
    balances.set(hAcc, balanceAfter)
    const counter = systemAccount(villageId, s.counter)
    const postings = [
      { account: hAcc, amount: s.amount },
      { account: counter, amount: -s.amount },
    ]
    seq += 1
    const row: Row<'ledger_entries'> = {
      id: newId(),
      village_id: villageId,
      seq,
      at,
      kind: s.kind,
      household_id: s.householdId,
      amount: s.amount,
      balance_after: balanceAfter,
      memo: s.memo,
      occurred_on: s.occurredOn ?? null,
      rule_id: s.ruleId ?? null,
      award_id: s.awardId ?? null,
      redemption_id: s.redemptionId ?? null,
      reverses_id: s.reversesId ?? null,
      created_by: actorId,
      prev_hash: hash,
      hash: '',
    }
    row.hash = entryHash(row, postings)
    hash = row.hash
    entryRows.push(row)
    for (const p of postings) {
      postingRows.push({ village_id: villageId, entry_id: row.id, account_id: p.account, amount: p.amount })
      accountDeltas.set(p.account, (accountDeltas.get(p.account) ?? 0) + p.amount)
    }
    if (s.honourDelta) honourDeltas.set(s.householdId, (honourDeltas.get(s.householdId) ?? 0) + s.honourDelta)
    appended.push({ id: row.id, seq, householdId: s.householdId, amount: s.amount, balanceAfter, at })
  }

  for (const part of chunks(entryRows, 200)) await trx.insertInto('ledger_entries').values(part).execute()
  for (const part of chunks(postingRows, 1000)) await trx.insertInto('ledger_postings').values(part).execute()
  await addToMany(trx, 'accounts', 'balance', accountDeltas)
  await addToMany(trx, 'households', 'honour', honourDeltas)
  return appended
}

export async function balanceOf(db: DB, householdId: string): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select('balance')
    .where('id', '=', householdAccount(householdId))
    .executeTakeFirst()
  return row?.balance ?? 0
}
