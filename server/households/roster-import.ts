import { parse as parseCsv } from 'csv-parse/sync'
import type { DB } from '../../db/database.js'
import type { Row } from '../../db/schema.js'
import { lockVillage, withTransaction } from '../../db/database.js'
import { rosterRow } from '../../shared/schemas/households.js'
import { type ActingUser, assertVillage } from '../core/actor.js'
import { DomainError } from '../core/errors.js'
import { openHouseholdAccounts } from '../ledger/ledger.service.js'
import type { WorkerPool } from '../workers/pool.js'
import { newHouseholdRow } from './households.service.js'

/** Column names as the village's own spreadsheet may have them: the API's names and the Chinese ones. */
const HEADER_ALIASES: Record<string, 'householdNo' | 'headName' | 'phone' | 'address'> = {
  householdno: 'householdNo', '户号': 'householdNo', '户编号': 'householdNo',
  headname: 'headName', '户主': 'headName', '户主姓名': 'headName', '姓名': 'headName',
  phone: 'phone', '电话': 'phone', '联系电话': 'phone', '手机': 'phone', '手机号': 'phone',
  address: 'address', '地址': 'address', '住址': 'address', '组别': 'address',
}

export interface RowError {
  line: number
  message: string
}

/**
 * Chinese Excel saves CSV as GB18030/GBK by default. Valid UTF-8 is read as UTF-8 (a GBK file of Chinese text
 * is almost never valid UTF-8); anything else is read as GB18030, a superset of GBK and GB2312.
 */
export function decodeRoster(bytes: Uint8Array): string {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    text = new TextDecoder('gb18030').decode(bytes)
  }
  return text.replace(/^\uFEFF/, '')
}

interface ParsedRow {
  line: number
  fields: Record<string, string>
}

function parseRoster(text: string): { rows: ParsedRow[]; errors: RowError[] } {
  let records: { record: string[]; info: { lines: number }; raw: string }[]
  try {
    records = parseCsv(text, { info: true, raw: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as never
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1
    return { rows: [], errors: [{ line, message: `unreadable CSV: ${(err as Error).message}` }] }
  }
  if (records.length === 0) return { rows: [], errors: [{ line: 1, message: 'the file is empty' }] }
  const header = records[0]!.record.map((h) => HEADER_ALIASES[h.replace(/\s+/g, '').toLowerCase()] ?? HEADER_ALIASES[h.trim()] ?? null)
  const missing = (['householdNo', 'headName'] as const).filter((k) => !header.includes(k))
  if (missing.length) return { rows: [], errors: [{ line: 1, message: `header row lacks ${missing.join(', ')}` }] }
  const rows = records.slice(1).map(({ record, info, raw }) => {
    const fields: Record<string, string> = {}
    header.forEach((key, i) => {
      if (key && record[i] !== undefined && record[i] !== '') fields[key] = record[i]!
    })
    // info.lines is where the record ends; a quoted field may span lines, so count back to where it starts.
    const innerBreaks = (raw.replace(/\r?\n$/, '').match(/\n/g) ?? []).length
    return { line: info.lines - innerBreaks, fields }
  })
  return { rows, errors: [] }
}

/** A roster read, validated and turned into rows: what the import inserts, or why it must not. */
export interface PreparedRoster {
  /** Rows ready to insert, one per valid line. */
  valid: Row<'households'>[]
  /** Household number → the line it is on, for the check against numbers already taken. */
  lines: [string, number][]
  rowErrors: RowError[]
}

/**
 * Decoding, CSV parsing, validation and the rows (with their pinyin search keys): everything of an import
 * that needs no database, so it can run in a worker thread (server/workers) while the counter is served.
 */
export function prepareRoster(villageId: string, bytes: Uint8Array): PreparedRoster {
  const { rows, errors } = parseRoster(decodeRoster(bytes))
  if (errors.length) throw new DomainError('INVALID_ROWS', 'the roster cannot be read', errors)
  const seen = new Map<string, number>()
  const valid: Row<'households'>[] = []
  const rowErrors: RowError[] = []
  for (const { line, fields } of rows) {
    const parsed = rosterRow.safeParse(fields)
    if (!parsed.success) {
      rowErrors.push({ line, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') })
      continue
    }
    const no = parsed.data.householdNo
    if (seen.has(no)) {
      rowErrors.push({ line, message: `householdNo ${no} repeats line ${seen.get(no)}` })
      continue
    }
    seen.set(no, line)
    valid.push(newHouseholdRow(villageId, parsed.data, null, []))
  }
  if (rows.length === 0) rowErrors.push({ line: 2, message: 'no households below the header row' })
  return { valid, lines: [...seen], rowErrors }
}

/** Inserts a prepared roster in one transaction (importRoster has checked the village): every row valid, or nothing imported and every bad row reported with its line. */
async function insertRoster(db: DB, villageId: string, prepared: PreparedRoster): Promise<{ created: number }> {
  const { valid } = prepared
  const seen = new Map(prepared.lines)
  const rowErrors = [...prepared.rowErrors]
  return withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const numbers = [...seen.keys()]
    for (let i = 0; i < numbers.length; i += 400) {
      const taken = await trx
        .selectFrom('households')
        .select('household_no')
        .where('village_id', '=', villageId)
        .where('household_no', 'in', numbers.slice(i, i + 400))
        .execute()
      for (const t of taken) rowErrors.push({ line: seen.get(t.household_no)!, message: `householdNo ${t.household_no} already exists` })
    }
    if (rowErrors.length) {
      rowErrors.sort((a, b) => a.line - b.line)
      throw new DomainError('INVALID_ROWS', `${rowErrors.length} bad row(s); nothing was imported`, rowErrors)
    }
    for (let i = 0; i < valid.length; i += 200) await trx.insertInto('households').values(valid.slice(i, i + 200)).execute()
    await openHouseholdAccounts(trx, villageId, valid.map((r) => r.id))
    return { created: valid.length }
  })
}

/**
 * Imports a roster: every row valid, or nothing imported and every bad row reported with its line. Reading,
 * validating and building the rows run on a worker thread when the server has a pool (`workers`); the insert
 * is on the main connection, in one transaction.
 */
export async function importRoster(db: DB, actor: ActingUser, villageId: string, bytes: Uint8Array, workers?: WorkerPool): Promise<{ created: number }> {
  assertVillage(actor, villageId)
  const prepared = workers
    ? await workers.run<PreparedRoster>({ kind: 'prepare-roster', villageId, bytes })
    : prepareRoster(villageId, bytes)
  return insertRoster(db, villageId, prepared)
}
