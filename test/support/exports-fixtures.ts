import ExcelJS from 'exceljs'
import { vi } from 'vitest'
import type { DB } from '../../db/database.js'
import type { TestContext } from '../context.js'
import { appendEntries, type AppendedEntry, type EntrySpec } from '../../server/ledger/ledger.service.js'

/*
 * Helpers for the export tests. Entries of past months are written with the ledger's own write path
 * (appendEntries in a transaction) while the clock reads the chosen instant: the ledger stamps `at` itself,
 * and its rows can never be updated afterwards.
 */

export async function postAt(
  db: DB,
  villageId: string,
  at: string,
  actorId: string | null,
  specs: EntrySpec[],
): Promise<AppendedEntry[]> {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date(at))
  try {
    return await db.transaction().execute((trx) => appendEntries(trx, villageId, actorId, specs))
  } finally {
    vi.useRealTimers()
  }
}

export const postNow = (db: DB, villageId: string, actorId: string | null, specs: EntrySpec[]) =>
  db.transaction().execute((trx) => appendEntries(trx, villageId, actorId, specs))

type Rule = { id: string; code: string; name: string; points: number }

export async function createRule(
  t: TestContext,
  vid: string,
  clerk: string,
  fields: { code: string; name: string; points: number; category?: string },
): Promise<Rule> {
  const res = await t.api.post(
    `/api/villages/${vid}/rules`,
    { category: fields.points > 0 ? '好人好事' : '违规', ...fields },
    clerk,
  )
  if (res.status !== 201) throw new Error(`rule: ${res.status} ${res.text}`)
  return res.body
}

/** Entry specs the way the awards, supermarket and corrections code write them. */
export const spec = {
  award: (householdId: string, rule: Rule): EntrySpec => ({
    kind: 'award',
    householdId,
    amount: rule.points,
    counter: 'issuance',
    memo: `${rule.code} ${rule.name}`,
    ruleId: rule.id,
    honourDelta: rule.points,
  }),
  deduction: (householdId: string, rule: Rule): EntrySpec => ({
    kind: 'deduction',
    householdId,
    amount: rule.points,
    counter: 'penalties',
    memo: `${rule.code} ${rule.name}`,
    ruleId: rule.id,
    honourDelta: rule.points,
  }),
  redemption: (householdId: string, points: number): EntrySpec => ({
    kind: 'redemption',
    householdId,
    amount: -points,
    counter: 'supermarket',
    memo: '兑换',
  }),
  adjustment: (householdId: string, amount: number): EntrySpec => ({
    kind: 'adjustment',
    householdId,
    amount,
    counter: 'issuance',
    memo: '调整：旧账结转',
  }),
  expiry: (householdId: string, amount: number): EntrySpec => ({
    kind: 'expiry',
    householdId,
    amount: -amount,
    counter: 'expired',
    memo: '年度积分清零',
  }),
  reversal: (householdId: string, entryId: string, amount: number): EntrySpec => ({
    kind: 'reversal',
    householdId,
    amount: -amount,
    counter: 'issuance',
    memo: '冲正：录入错误',
    reversesId: entryId,
  }),
}

/** A GET whose body is binary (the test context reads bodies as text). */
export async function getBytes(t: TestContext, path: string, token: string) {
  const res = await t.app.request(path, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) }
}

export async function readWorkbook(bytes: Buffer) {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer)
  return wb
}

/** The values of a sheet's rows, first row first, each as an array of cells from column 1. */
export function sheetRows(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = []
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    rows[n - 1] = (row.values as unknown[]).slice(1)
  })
  return Array.from(rows, (r) => r ?? [])
}

/** The rows of every table in an HTML page, as trimmed cell texts (tags removed, entities decoded). */
export function tableRows(page: string): string[][] {
  const decode = (s: string) =>
    s
      .replace(/<[^>]*>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .trim()
  return [...page.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => decode(c[1]!)),
  )
}

export async function usernameOf(db: DB, userId: string) {
  return (await db.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirstOrThrow()).username
}
