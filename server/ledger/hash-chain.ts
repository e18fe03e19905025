import { createHash } from 'node:crypto'
import type { Row } from '../../db/schema.js'

export const GENESIS = '0'.repeat(64)

/**
 * An entry's hash covers every field that means something and the previous entry's hash, so editing any
 * row, or deleting or reordering one, breaks the chain from that entry on. JSON of a fixed-order array keeps
 * the encoding unambiguous.
 */
export function entryHash(
  e: Omit<Row<'ledger_entries'>, 'hash'>,
  postings: { account: string; amount: number }[],
): string {
  const content = JSON.stringify([
    e.prev_hash,
    e.id,
    e.village_id,
    e.seq,
    e.at,
    e.kind,
    e.household_id,
    e.amount,
    e.balance_after,
    e.memo,
    e.occurred_on,
    e.rule_id,
    e.award_id,
    e.redemption_id,
    e.reverses_id,
    e.created_by,
    [...postings]
      .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : a.amount - b.amount))
      .map((p) => [p.account, p.amount]),
  ])
  return createHash('sha256').update(content).digest('hex')
}
