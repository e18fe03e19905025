import type { DB } from '../../db/database.js'
import type { ExportFormat } from '../../shared/schemas/exports.js'
import type { ActingUser } from '../core/actor.js'
import { getVillage } from '../villages/villages.service.js'
import { statementCsv } from './csv.js'
import { statementJson } from './json.js'
import { exportFileName } from './labels.js'
import { monthlyStatement } from './statement.js'
import { textStream } from './stream.js'
import { statementXlsx } from './xlsx.js'

export interface ExportFile {
  body: ReadableStream<Uint8Array>
  contentType: string
  fileName: string
  chainHead: string
}

const CONTENT_TYPE: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/**
 * The monthly export of a village. The statement is tallied (and reconciled) before anything is sent, so a
 * ledger that does not add up fails the request instead of printing; entries then stream as the client reads.
 */
export async function monthlyExport(db: DB, actor: ActingUser, villageId: string, month: string, format: ExportFormat): Promise<ExportFile> {
  const village = await getVillage(db, actor, villageId)
  const statement = await monthlyStatement(db, village, month)
  const body =
    format === 'csv' ? textStream(statementCsv(statement))
    : format === 'xlsx' ? statementXlsx(db, statement)
    : textStream(statementJson(db, statement))
  return { body, contentType: CONTENT_TYPE[format], fileName: exportFileName(village.code, month, format), chainHead: statement.cut.chainHead }
}
