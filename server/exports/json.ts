import type { DB } from '../../db/database.js'
import { exportEntryPages, stockMovePages } from './entries.js'
import type { Statement } from './statement.js'
import { reliefLines } from '../relief/relief.service.js'

/** The statement's heading fields, the same in every format. */
export function statementHeading(s: Statement) {
  return {
    month: s.period.label,
    village: { id: s.village.id, code: s.village.code, name: s.village.name },
    timezone: s.village.timezone,
    period: { start: s.period.start, end: s.period.end },
    chainHead: s.cut.chainHead,
    chainSeq: s.cut.headSeq,
    checkpoint: s.checkpoint ?? null,
    totals: s.totals,
  }
}

/** Writes `items` of an array as JSON text, a comma before all but the very first. */
function jsonItems(items: unknown[], first: boolean): string {
  const body = items.map((x) => JSON.stringify(x)).join(',')
  return first || body === '' ? body : ',' + body
}

/**
 * The monthly export as one JSON document, streamed: the households and totals are known (the statement was
 * tallied first), then the entries and stock movements are read page by page as the client reads.
 */
export async function* statementJson(db: DB, s: Statement): AsyncGenerator<string> {
  const heading = JSON.stringify(statementHeading(s))
  yield heading.slice(0, -1) + ',"households":['
  for (let i = 0; i < s.households.length; i += 1000) yield jsonItems(s.households.slice(i, i + 1000), i === 0)
  yield '],"entries":['
  let first = true
  for await (const page of exportEntryPages(db, s)) {
    yield jsonItems(page, first)
    first = false
  }
  yield '],"stockMoves":['
  first = true
  for await (const page of stockMovePages(db, s.village.id, s.period)) {
    yield jsonItems(page, first)
    first = false
  }
  // The month's relief (阳光超市, issue 18): goods given free, each household's share; no points moved.
  yield `],"relief":[${jsonItems(await reliefLines(db, s.village.id, s.period), true)}]}`
}
