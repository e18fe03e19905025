import type { DB } from '../../db/database.js'
import { withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Row } from '../../db/schema.js'
import type { CreateVillageInput } from '../../shared/schemas/villages.js'
import { monthRange } from '../../shared/time.js'
import type { Village } from '../../shared/types/villages.js'
import { duplicate, forbidden, notFound } from '../core/errors.js'
import { rethrowUnique } from '../../db/errors.js'
import { type ActingUser, assertVillage, isAdmin } from '../core/actor.js'
import { patchOf } from '../../db/patch.js'
import { openVillageAccounts } from '../ledger/ledger.service.js'

export type { Village }

export function villageRowToVillage(r: Row<'villages'>): Village {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    timezone: r.timezone,
    noticeDays: r.notice_days,
    requiredApprovals: r.required_approvals,
    annualReset: r.annual_reset,
    maskNames: r.mask_names === 1,
    offlineAllowance: r.offline_allowance,
  }
}

/** An administrator opens a village, with its system accounts. */
export async function createVillage(db: DB, actor: ActingUser, input: CreateVillageInput): Promise<Village> {
  if (!isAdmin(actor)) throw forbidden('only an administrator opens a village')
  const row: Row<'villages'> = {
    id: newId(),
    code: input.code,
    name: input.name,
    timezone: input.timezone ?? 'Asia/Shanghai',
    notice_days: input.noticeDays ?? 0,
    required_approvals: input.requiredApprovals ?? 1,
    annual_reset: input.annualReset ?? null,
    mask_names: input.maskNames ? 1 : 0,
    created_at: nowIso(),
    offline_allowance: input.offlineAllowance ?? 50,
  }
  try {
    await withTransaction(db, async (trx) => {
      await trx.insertInto('villages').values(row).execute()
      await openVillageAccounts(trx, row.id)
      await retireDemoLogins(trx, row.id)
    })
  } catch (err) {
    rethrowUnique(err, () => duplicate('village code is taken'))
  }
  return villageRowToVillage(row)
}

/**
 * `npm run demo` publishes its logins' passwords (scripts/demo). Once a real village is opened on the same
 * database they must stop working: the demo's staff are disabled (their sessions end) and an admin the demo
 * created with its published password must choose a new one before anything else (issue 13).
 */
async function retireDemoLogins(trx: DB, villageId: string) {
  const demo = await trx.selectFrom('settings').select('value').where('key', '=', 'demo_villages').executeTakeFirst()
  if (!demo || (JSON.parse(demo.value) as string[]).includes(villageId)) return
  const users = await trx.selectFrom('settings').select('value').where('key', '=', 'demo_users').executeTakeFirst()
  const ids = users ? (JSON.parse(users.value) as string[]) : []
  if (ids.length) {
    await trx
      .updateTable('users')
      .set((eb) => ({ active: 0, token_version: eb('token_version', '+', 1) }))
      .where('id', 'in', ids)
      .execute()
  }
  const admin = await trx.selectFrom('settings').select('value').where('key', '=', 'demo_admin').executeTakeFirst()
  if (admin) await trx.updateTable('users').set({ must_change_password: 1 }).where('id', '=', admin.value).execute()
  await trx.deleteFrom('settings').where('key', 'in', ['demo_users', 'demo_admin']).execute()
}

export async function getVillage(db: DB, actor: ActingUser, id: string): Promise<Village> {
  const row = await db.selectFrom('villages').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('village')
  assertVillage(actor, row.id)
  return villageRowToVillage(row)
}

/** The village's time zone: its months, days and rule periods are read in it. */
export async function villageTimezone(db: DB, actor: ActingUser, villageId: string): Promise<string> {
  assertVillage(actor, villageId)
  const v = await db.selectFrom('villages').select('timezone').where('id', '=', villageId).executeTakeFirst()
  if (!v) throw notFound('village')
  return v.timezone
}

/** [start, end) of a 'YYYY-MM' month in the village's time zone, as UTC ISO strings; null (all time) without one. */
export async function villageMonth(db: DB, actor: ActingUser, villageId: string, month: string | undefined) {
  assertVillage(actor, villageId)
  if (!month) return null
  return monthRange(month, await villageTimezone(db, actor, villageId))
}

export async function listVillages(db: DB, actor: ActingUser): Promise<Village[]> {
  let q = db.selectFrom('villages').selectAll().orderBy('code')
  if (!isAdmin(actor)) q = q.where('id', '=', actor.villageId ?? '')
  return (await q.execute()).map(villageRowToVillage)
}

export async function updateVillage(
  db: DB,
  actor: ActingUser,
  id: string,
  input: Partial<Omit<CreateVillageInput, 'code'>>,
): Promise<Village> {
  if (!isAdmin(actor)) throw forbidden("only an administrator changes a village's settings")
  await getVillage(db, actor, id)
  const changes = patchOf('villages', input, {
    name: 'name',
    timezone: 'timezone',
    noticeDays: 'notice_days',
    requiredApprovals: 'required_approvals',
    annualReset: 'annual_reset',
    maskNames: (v) => ({ mask_names: v ? 1 : 0 }),
    offlineAllowance: 'offline_allowance',
  })
  if (Object.keys(changes).length) await db.updateTable('villages').set(changes).where('id', '=', id).execute()
  return getVillage(db, actor, id)
}
