import type { DB } from '../../db/database.js'
import { withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Row } from '../../db/schema.js'
import type { CreateVillageInput } from '../../shared/schemas/villages.js'
import type { Village } from '../../shared/types/villages.js'
import { notFound, rethrowUnique } from '../http/errors.js'
import type { ActingUser } from '../http/types.js'
import { openVillageAccounts } from '../ledger/ledger.service.js'

export type { Village }

export function villageRowToVillage(r: Row<'villages'>): Village {
  return {
    id: r.id, code: r.code, name: r.name, timezone: r.timezone, noticeDays: r.notice_days,
    requiredApprovals: r.required_approvals, annualReset: r.annual_reset, maskNames: r.mask_names === 1,
    offlineAllowance: r.offline_allowance,
  }
}

export async function createVillage(db: DB, input: CreateVillageInput): Promise<Village> {
  const row: Row<'villages'> = {
    id: newId(), code: input.code, name: input.name, timezone: input.timezone ?? 'Asia/Shanghai',
    notice_days: input.noticeDays ?? 0, required_approvals: input.requiredApprovals ?? 1,
    annual_reset: input.annualReset ?? null, mask_names: input.maskNames ? 1 : 0, created_at: nowIso(),
    offline_allowance: input.offlineAllowance ?? 50,
  }
  try {
    await withTransaction(db, async (trx) => {
      await trx.insertInto('villages').values(row).execute()
      await openVillageAccounts(trx, row.id)
    })
  } catch (err) {
    rethrowUnique(err, 'village code is taken')
  }
  return villageRowToVillage(row)
}

export async function getVillage(db: DB, id: string): Promise<Village> {
  const row = await db.selectFrom('villages').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('village')
  return villageRowToVillage(row)
}

export async function listVillages(db: DB, actor: ActingUser): Promise<Village[]> {
  let q = db.selectFrom('villages').selectAll().orderBy('code')
  if (!actor.roles.includes('admin')) q = q.where('id', '=', actor.villageId ?? '')
  return (await q.execute()).map(villageRowToVillage)
}

export async function updateVillage(db: DB, id: string, input: Partial<Omit<CreateVillageInput, 'code'>>): Promise<Village> {
  const changes: Partial<Row<'villages'>> = {}
  if (input.name !== undefined) changes.name = input.name
  if (input.timezone !== undefined) changes.timezone = input.timezone
  if (input.noticeDays !== undefined) changes.notice_days = input.noticeDays
  if (input.requiredApprovals !== undefined) changes.required_approvals = input.requiredApprovals
  if (input.annualReset !== undefined) changes.annual_reset = input.annualReset
  if (input.maskNames !== undefined) changes.mask_names = input.maskNames ? 1 : 0
  if (input.offlineAllowance !== undefined) changes.offline_allowance = input.offlineAllowance
  if (Object.keys(changes).length) await db.updateTable('villages').set(changes).where('id', '=', id).execute()
  return getVillage(db, id)
}
