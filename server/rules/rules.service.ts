import type { DB } from '../../db/database.js'
import { lockVillage, lockVillageOf, withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Row } from '../../db/schema.js'
import type { CreateRuleInput, UpdateRuleInput } from '../../shared/schemas/rules.js'
import type { Rule } from '../../shared/types/rules.js'
import { type ActingUser, assertVillage } from '../core/actor.js'
import { DomainError, notFound } from '../core/errors.js'
import { patchOf } from '../../db/patch.js'
import { STARTER_CATALOGUE } from './starter-catalogue.js'

export type { Rule }

export function ruleRowToRule(r: Row<'rules'>): Rule {
  return {
    id: r.id,
    villageId: r.village_id,
    code: r.code,
    name: r.name,
    category: r.category,
    points: r.points,
    limit: r.limit_count && r.limit_period ? { count: r.limit_count, period: r.limit_period } : null,
    evidence: r.evidence,
    active: r.active === 1,
    createdAt: r.created_at,
  }
}

function newRuleRow(villageId: string, input: CreateRuleInput): Row<'rules'> {
  return {
    id: newId(),
    village_id: villageId,
    code: input.code,
    name: input.name,
    category: input.category,
    points: input.points,
    limit_count: input.limit?.count ?? null,
    limit_period: input.limit?.period ?? null,
    evidence: input.evidence ?? null,
    active: 1,
    created_at: nowIso(),
  }
}

/** Codes are unique among a village's active rules: an old version keeps its code once deactivated. */
async function assertCodeFree(trx: DB, villageId: string, code: string) {
  const taken = await trx
    .selectFrom('rules')
    .select('id')
    .where('village_id', '=', villageId)
    .where('code', '=', code)
    .where('active', '=', 1)
    .executeTakeFirst()
  if (taken) throw new DomainError('DUPLICATE', `an active rule with code ${code} exists: deactivate it first`)
}

export async function createRule(db: DB, actor: ActingUser, villageId: string, input: CreateRuleInput): Promise<Rule> {
  assertVillage(actor, villageId)
  const row = newRuleRow(villageId, input)
  await withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    await assertCodeFree(trx, villageId, input.code)
    await trx.insertInto('rules').values(row).execute()
  })
  return ruleRowToRule(row)
}

export async function getRule(db: DB, actor: ActingUser, id: string): Promise<Rule> {
  const row = await db.selectFrom('rules').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('rule')
  assertVillage(actor, row.village_id)
  return ruleRowToRule(row)
}

/**
 * The rule, if it is one of the village's (null otherwise: a form that names another village's rule is bad
 * input, not a forbidden path). For awards, which apply a rule chosen by id.
 */
export async function ruleOfVillage(db: DB, actor: ActingUser, villageId: string, id: string): Promise<Rule | null> {
  assertVillage(actor, villageId)
  const row = await db
    .selectFrom('rules')
    .selectAll()
    .where('id', '=', id)
    .where('village_id', '=', villageId)
    .executeTakeFirst()
  return row ? ruleRowToRule(row) : null
}

export async function listRules(
  db: DB,
  actor: ActingUser,
  villageId: string,
  opts: { active?: boolean } = {},
): Promise<Rule[]> {
  assertVillage(actor, villageId)
  let q = db.selectFrom('rules').selectAll().where('village_id', '=', villageId).orderBy('code').orderBy('created_at')
  if (opts.active !== undefined) q = q.where('active', '=', opts.active ? 1 : 0)
  return (await q.execute()).map(ruleRowToRule)
}

export async function updateRule(db: DB, actor: ActingUser, id: string, input: UpdateRuleInput): Promise<Rule> {
  return withTransaction(db, async (trx) => {
    await lockVillageOf(trx, 'rules', id)
    const rule = await getRule(trx, actor, id)
    if (input.active && !rule.active) await assertCodeFree(trx, rule.villageId, rule.code)
    const changes = patchOf('rules', input, {
      name: 'name',
      category: 'category',
      evidence: 'evidence',
      active: (v) => ({ active: v ? 1 : 0 }),
    })
    if (Object.keys(changes).length) await trx.updateTable('rules').set(changes).where('id', '=', id).execute()
    return getRule(trx, actor, id)
  })
}

/** Loads the starter catalogue's rules whose codes the village does not use yet. */
export async function loadStarterCatalogue(
  db: DB,
  actor: ActingUser,
  villageId: string,
): Promise<{ created: number; rules: Rule[] }> {
  assertVillage(actor, villageId)
  return withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const used = new Set(
      (
        await trx
          .selectFrom('rules')
          .select('code')
          .where('village_id', '=', villageId)
          .where('active', '=', 1)
          .execute()
      ).map((r) => r.code),
    )
    const rows = STARTER_CATALOGUE.filter((r) => !used.has(r.code)).map((r) => newRuleRow(villageId, r))
    if (rows.length) await trx.insertInto('rules').values(rows).execute()
    return { created: rows.length, rules: rows.map(ruleRowToRule) }
  })
}
