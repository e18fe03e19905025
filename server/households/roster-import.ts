import { parse as parseCsv } from 'csv-parse/sync'
import type { DB } from '../../db/database.js'
import type { Row } from '../../db/schema.js'
import { lockVillage, withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import { rosterRow } from '../../shared/schemas/households.js'
import { type ActingUser, assertVillage } from '../core/actor.js'
import { DomainError } from '../core/errors.js'
import { openHouseholdAccounts } from '../ledger/ledger.service.js'
import type { WorkerPool } from '../workers/pool.js'
import { newHouseholdRow } from './households.service.js'
import { isXlsx, readFirstSheet } from './xlsx-read.js'

/** Column names as the village's own spreadsheet may have them: the API's names and the Chinese ones. */
type Column = 'householdNo' | 'headName' | 'phone' | 'address' | 'members'
const HEADER_ALIASES: Record<string, Column> = {
  members: 'members',
  成员: 'members',
  家庭成员: 'members',
  户成员: 'members',
  其他成员: 'members',
  householdno: 'householdNo',
  户号: 'householdNo',
  户编号: 'householdNo',
  headname: 'headName',
  户主: 'headName',
  户主姓名: 'headName',
  姓名: 'headName',
  phone: 'phone',
  电话: 'phone',
  联系电话: 'phone',
  手机: 'phone',
  手机号: 'phone',
  address: 'address',
  地址: 'address',
  住址: 'address',
  组别: 'address',
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

/** The column names as the clerk's header row has them (line errors speak the village's words, issue 17). */
const COLUMN_ZH: Record<string, string> = {
  householdNo: '户号',
  headName: '户主',
  phone: '电话',
  address: '地址',
  members: '成员',
}

/** A record of the file, CSV or xlsx: its cells and the line the clerk sees it on. */
interface SourceRow {
  line: number
  cells: string[]
}

function csvRows(text: string): SourceRow[] | RowError {
  let records: { record: string[]; info: { lines: number }; raw: string }[]
  try {
    records = parseCsv(text, {
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as never
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1
    return { line, message: `这一行读不出来（引号没有配对？） (unreadable CSV: ${(err as Error).message})` }
  }
  return records.map(({ record, info, raw }) => {
    // info.lines is where the record ends; a quoted field may span lines, so count back to where it starts.
    const innerBreaks = (raw.replace(/\r?\n$/, '').match(/\n/g) ?? []).length
    return { line: info.lines - innerBreaks, cells: record }
  })
}

function parseRoster(bytes: Uint8Array): { rows: ParsedRow[]; errors: RowError[] } {
  let records: SourceRow[] | RowError
  if (isXlsx(bytes)) {
    try {
      records = readFirstSheet(bytes)
    } catch (err) {
      records = { line: 1, message: (err as Error).message }
    }
  } else {
    records = csvRows(decodeRoster(bytes))
  }
  if (!Array.isArray(records)) return { rows: [], errors: [records] }
  if (records.length === 0) return { rows: [], errors: [{ line: 1, message: '文件是空的' }] }
  const header = records[0]!.cells.map(
    (h) => HEADER_ALIASES[h.replace(/\s+/g, '').toLowerCase()] ?? HEADER_ALIASES[h.trim()] ?? null,
  )
  const missing = (['householdNo', 'headName'] as const).filter((k) => !header.includes(k))
  if (missing.length)
    return {
      rows: [],
      errors: [{ line: records[0]!.line, message: `表头缺少“${missing.map((k) => COLUMN_ZH[k]).join('”“')}”列` }],
    }
  const rows = records.slice(1).map(({ cells, line }) => {
    const fields: Record<string, string> = {}
    header.forEach((key, i) => {
      if (key && cells[i] !== undefined && cells[i] !== '') fields[key] = cells[i]!
    })
    return { line, fields }
  })
  return { rows, errors: [] }
}

/** 张三、李四 / 张三，李四 / 张三 李四: the members column, one cell. */
const memberNames = (cell: string | undefined) =>
  (cell ?? '')
    .split(/[、,，;；/\s]+/)
    .map((n) => n.trim())
    .filter(Boolean)

/** A zod issue about a roster cell, as the clerk reads it: 第 3 行 户主：不能为空. */
function issueText(issue: { path: PropertyKey[]; code: string; maximum?: unknown; message: string }): string {
  const column = COLUMN_ZH[String(issue.path[0])] ?? String(issue.path[0])
  if (issue.code === 'invalid_type' || issue.code === 'too_small') return `${column}：不能为空`
  if (issue.code === 'too_big') return `${column}：太长（最多 ${Number(issue.maximum)} 个字）`
  if (String(issue.path[0]) === 'phone') return `${column}：只能是数字`
  return `${column}：格式不对`
}

/** A roster read, validated and turned into rows: what the import inserts, or why it must not. */
export interface PreparedRoster {
  /** Rows ready to insert, one per valid line. */
  valid: Row<'households'>[]
  /** The members of those households (the members column). */
  members: Row<'household_members'>[]
  /** Household number → the line it is on, for the check against numbers already taken. */
  lines: [string, number][]
  rowErrors: RowError[]
}

/**
 * Decoding, CSV parsing, validation and the rows (with their pinyin search keys): everything of an import
 * that needs no database, so it can run in a worker thread (server/workers) while the counter is served.
 */
export function prepareRoster(villageId: string, bytes: Uint8Array): PreparedRoster {
  const { rows, errors } = parseRoster(bytes)
  if (errors.length) throw new DomainError('INVALID_ROWS', '名册读不出来 (the roster cannot be read)', errors)
  const seen = new Map<string, number>()
  const valid: Row<'households'>[] = []
  const members: Row<'household_members'>[] = []
  const rowErrors: RowError[] = []
  for (const { line, fields } of rows) {
    const { members: cell, ...household } = fields
    const parsed = rosterRow.safeParse(household)
    const names = memberNames(cell)
    const problems = parsed.success ? [] : parsed.error.issues.map(issueText)
    const long = names.find((n) => n.length > 32)
    if (long) problems.push(`成员：“${long.slice(0, 12)}…”太长（每人最多 32 个字）`)
    if (names.length > 30) problems.push('成员：最多 30 人')
    if (!parsed.success || problems.length) {
      rowErrors.push({ line, message: problems.join('；') })
      continue
    }
    const no = parsed.data.householdNo
    if (seen.has(no)) {
      rowErrors.push({ line, message: `户号 ${no} 与第 ${seen.get(no)} 行重复` })
      continue
    }
    seen.set(no, line)
    const row = newHouseholdRow(villageId, parsed.data, null, names)
    valid.push(row)
    const at = nowIso()
    for (const name of names)
      members.push({
        id: newId(),
        village_id: villageId,
        household_id: row.id,
        name,
        relation: null,
        added_at: at,
        removed_at: null,
        party_member: 0,
      })
  }
  if (rows.length === 0) rowErrors.push({ line: 2, message: '表头下面没有农户' })
  return { valid, members, lines: [...seen], rowErrors }
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
      for (const t of taken)
        rowErrors.push({ line: seen.get(t.household_no)!, message: `户号 ${t.household_no} 已经有了` })
    }
    if (rowErrors.length) {
      rowErrors.sort((a, b) => a.line - b.line)
      throw new DomainError(
        'INVALID_ROWS',
        `${rowErrors.length} 行有问题，一户也没有导入 (${rowErrors.length} bad row(s); nothing was imported)`,
        rowErrors,
      )
    }
    for (let i = 0; i < valid.length; i += 200)
      await trx
        .insertInto('households')
        .values(valid.slice(i, i + 200))
        .execute()
    await openHouseholdAccounts(
      trx,
      villageId,
      valid.map((r) => r.id),
    )
    for (let i = 0; i < prepared.members.length; i += 200)
      await trx
        .insertInto('household_members')
        .values(prepared.members.slice(i, i + 200))
        .execute()
    return { created: valid.length }
  })
}

/**
 * Imports a roster: every row valid, or nothing imported and every bad row reported with its line. Reading,
 * validating and building the rows run on a worker thread when the server has a pool (`workers`); the insert
 * is on the main connection, in one transaction.
 */
export async function importRoster(
  db: DB,
  actor: ActingUser,
  villageId: string,
  bytes: Uint8Array,
  workers?: WorkerPool,
): Promise<{ created: number }> {
  assertVillage(actor, villageId)
  const prepared = workers
    ? await workers.run<PreparedRoster>({ kind: 'prepare-roster', villageId, bytes })
    : prepareRoster(villageId, bytes)
  return insertRoster(db, villageId, prepared)
}
