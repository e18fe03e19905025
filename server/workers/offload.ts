import type { ExportFormat } from '../../shared/schemas/exports.js'
import { type ExportFile, type ExportHead, monthlyExport } from '../exports/monthly.js'
import { insertRoster, type PreparedRoster, prepareRoster } from '../households/roster-import.js'
import type { Deps } from '../http/types.js'
import { type VerifyResult, verifyLedger } from '../ledger/verify.js'

/*
 * The long reads of month-end, on a worker thread when the server has a pool (a database file), on this
 * thread otherwise (':memory:' in tests: another thread cannot open it). Same functions, same results.
 */

/** The monthly export: the worker tallies and writes the file, this thread pipes its chunks to the client as it reads. */
export async function exportMonthly(deps: Pick<Deps, 'db' | 'workers'>, villageId: string, month: string, format: ExportFormat): Promise<ExportFile> {
  if (!deps.workers) return monthlyExport(deps.db, villageId, month, format)
  const { head, body } = await deps.workers.stream<ExportHead>({ kind: 'monthly-export', villageId, month, format })
  return { ...head, body }
}

/** A village's hash chain and balances, recomputed. */
export function verifyVillage(deps: Pick<Deps, 'db' | 'workers'>, villageId: string): Promise<VerifyResult> {
  if (!deps.workers) return verifyLedger(deps.db, villageId)
  return deps.workers.run<VerifyResult>({ kind: 'verify-ledger', villageId })
}

/**
 * A roster import: reading, validating and building the rows on a worker thread; the insert on the main
 * connection, in one transaction (all or nothing, as before).
 */
export async function importRosterOffThread(deps: Pick<Deps, 'db' | 'workers'>, villageId: string, bytes: Uint8Array): Promise<{ created: number }> {
  const prepared = deps.workers
    ? await deps.workers.run<PreparedRoster>({ kind: 'prepare-roster', villageId, bytes })
    : prepareRoster(villageId, bytes)
  return insertRoster(deps.db, villageId, prepared)
}
