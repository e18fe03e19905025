import type { DB } from '../../db/database.js'
import type { ExportFormat } from '../../shared/schemas/exports.js'
import { type ActingUser, assertVillage } from '../core/actor.js'
import { type CheckpointKey, checkpointKeyPem, cutCheckpoint } from '../ledger/checkpoint.js'
import { getVillage } from '../villages/villages.service.js'
import { statementCsv } from './csv.js'
import { statementJson } from './json.js'
import { exportFileName } from './labels.js'
import { monthlyStatement } from './statement.js'
import { textStream } from './stream.js'
import { statementXlsx } from './xlsx.js'
import type { WorkerPool } from '../workers/pool.js'

/** What the response's headers say about an export, known before its first byte. */
export interface ExportHead {
  contentType: string
  fileName: string
  chainHead: string
}

export interface ExportFile extends ExportHead {
  body: ReadableStream<Uint8Array>
}

const CONTENT_TYPE: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/**
 * The monthly export of a village, as its head and the pieces of its body. The statement is tallied (and
 * reconciled) before anything is sent, so a ledger that does not add up fails the request instead of
 * printing; entries are then read page by page as the pieces are pulled.
 */
export async function monthlyExportParts(
  db: DB,
  actor: ActingUser,
  villageId: string,
  month: string,
  format: ExportFormat,
  key: CheckpointKey,
): Promise<{ head: ExportHead; chunks: AsyncGenerator<string | Uint8Array> }> {
  const village = await getVillage(db, actor, villageId)
  const statement = await monthlyStatement(db, village, month)
  // Signed from the same tally the file prints, on whichever thread tallies it.
  statement.checkpoint = cutCheckpoint(key, villageId, statement.cut, statement.period.end)
  const chunks =
    format === 'csv'
      ? statementCsv(statement)
      : format === 'xlsx'
        ? statementXlsx(db, statement)
        : statementJson(db, statement)
  return {
    head: {
      contentType: CONTENT_TYPE[format],
      fileName: exportFileName(village.code, month, format),
      chainHead: statement.cut.chainHead,
    },
    chunks,
  }
}

/**
 * The monthly export: on a worker thread when the server has a pool (a database file; the worker tallies and
 * writes the file, this thread pipes its chunks to the client as it reads), on this thread otherwise
 * (':memory:' in tests: another thread cannot open it). Same function, same bytes.
 */
export async function monthlyExport(
  db: DB,
  actor: ActingUser,
  villageId: string,
  month: string,
  format: ExportFormat,
  key: CheckpointKey,
  workers?: WorkerPool,
): Promise<ExportFile> {
  if (workers) {
    assertVillage(actor, villageId) // the worker checks again, on its own connection
    // The worker cuts and signs the checkpoint from its own tally: it is handed the key, it reads no key file.
    const task = {
      kind: 'monthly-export' as const,
      actor: { ...actor },
      villageId,
      month,
      format,
      checkpointKey: checkpointKeyPem(key),
    }
    const { head, body } = await workers.stream<ExportHead>(task)
    return { ...head, body }
  }
  const { head, chunks } = await monthlyExportParts(db, actor, villageId, month, format, key)
  return { ...head, body: textStream(chunks) }
}
