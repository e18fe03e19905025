import type { DB } from '../../db/database.js'
import { withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Role } from '../../shared/schemas/common.js'
import type { Secrets } from '../../server/auth/secrets.js'
import { issueCard } from '../../server/cards/cards.service.js'
import { createHousehold } from '../../server/households/households.service.js'
import { type ActingUser, SYSTEM_ACTOR } from '../../server/core/actor.js'
import { loadStarterCatalogue, type Rule } from '../../server/rules/rules.service.js'
import { receiveStock } from '../../server/supermarket/donations/receipts.service.js'
import { createProduct } from '../../server/supermarket/products/products.service.js'
import { createUser } from '../../server/users/users.service.js'
import { createVillage, type Village } from '../../server/villages/villages.service.js'
import { DONORS, GOODS } from './goods.js'
import { householdPeople, mobilePhone, villageSurnames } from './names.js'
import type { Random } from './random.js'

/*
 * A village as it starts using Gongyi: its committee's accounts, the starter rule catalogue, the roster with
 * every household's members, a card for each household, the supermarket's goods and their first donation.
 * Everything goes through the services, inside the caller's transaction where the service allows it.
 */

export interface GenHousehold {
  id: string
  no: string
  memberIds: string[]
  hasPin: boolean
}

export interface GenProduct {
  id: string
  price: number
  /** The generator's own count of the shelf, kept in step with what it receives and redeems. */
  stock: number
  /** What a restock fills the shelf up to. */
  target: number
  popularity: number
}

export interface Staff {
  clerk: ActingUser
  approver: ActingUser
  cashier: ActingUser
}

export interface GenVillage {
  index: number
  rng: Random
  village: Village
  staff: Staff
  rules: Map<string, Rule>
  households: GenHousehold[]
  products: GenProduct[]
  cards: Map<string, string>
}

export interface VillageSpec {
  index: number
  code: string
  name: string
  households: number
  noticeDays: number
  /** Username for a role, e.g. demo-clerk. */
  username: (role: StaffRole) => string
  password: string
  pinHouseholds: number
  pin: string
  /** 'service' issues every card through issueCard (which also renders its QR); 'rows' writes the same rows. */
  cards: 'service' | 'rows'
  /** Every product of the catalogue, or a village's own selection of them. */
  allGoods: boolean
  redemptionRate: number
}

export type StaffRole = 'clerk' | 'approver' | 'cashier' | 'auditor'

const STAFF: readonly [StaffRole, Role[], string][] = [
  ['clerk', ['clerk'], '村文书'],
  ['approver', ['approver'], '村支书'],
  ['cashier', ['cashier'], '超市管理员'],
  ['auditor', ['auditor'], '镇审计员'],
]

const asActor = (u: { id: string; username: string; roles: Role[] }, villageId: string): ActingUser => ({
  id: u.id,
  username: u.username,
  roles: u.roles,
  villageId,
})

/** Creates the committee's accounts. scrypt runs on the thread pool, so the four hash side by side. */
async function createStaff(db: DB, village: Village, spec: VillageSpec): Promise<Staff> {
  const users = await Promise.all(
    STAFF.map(([role, roles, title]) =>
      createUser(db, SYSTEM_ACTOR, {
        username: spec.username(role),
        password: spec.password,
        roles,
        villageId: village.id,
        displayName: `${village.name}${title}`,
      }),
    ),
  )
  const [clerk, approver, cashier] = users.map((u) => asActor(u, village.id)) as [ActingUser, ActingUser, ActingUser]
  return { clerk, approver, cashier }
}

function householdNumber(k: number, total: number): string {
  return String(k).padStart(Math.max(4, String(total).length), '0')
}

async function createRoster(
  trx: DB,
  rng: Random,
  village: Village,
  spec: VillageSpec,
  onHousehold: () => void,
): Promise<GenHousehold[]> {
  const familyName = villageSurnames(rng)
  const households: GenHousehold[] = []
  for (let k = 1; k <= spec.households; k++) {
    const people = householdPeople(rng, familyName(rng))
    const withPin = k <= spec.pinHouseholds
    const created = await createHousehold(trx, SYSTEM_ACTOR, village.id, {
      householdNo: householdNumber(k, spec.households),
      headName: people[0]!.name,
      phone: rng.chance(0.75) ? mobilePhone(rng) : null,
      address: `${village.name}${Math.ceil(k / 40)}组`,
      members: people,
      ...(withPin ? { pin: spec.pin } : {}),
    })
    households.push({
      id: created.id,
      no: created.householdNo,
      memberIds: (created.members ?? []).map((m) => m.id),
      hasPin: withPin,
    })
    onHousehold()
  }
  return households
}

/**
 * Each household's first card. issueCard also renders the QR image (about a millisecond), which a county's
 * fifty thousand cards do not need in a generated database: 'rows' writes the row issueCard writes.
 */
async function issueFirstCards(
  trx: DB,
  village: Village,
  staff: Staff,
  households: GenHousehold[],
  mode: VillageSpec['cards'],
  secrets: Secrets,
) {
  const cards = new Map<string, string>()
  if (mode === 'service') {
    for (const h of households) cards.set(h.id, (await issueCard(trx, staff.clerk, h.id, secrets.cardKey)).id)
    return cards
  }
  const rows = households.map((h) => ({
    id: newId(),
    village_id: village.id,
    household_id: h.id,
    serial: `${h.no}-1`,
    status: 'active' as const,
    issued_at: nowIso(),
    issued_by: staff.clerk.id,
    revoked_at: null,
  }))
  for (let i = 0; i < rows.length; i += 400)
    await trx
      .insertInto('cards')
      .values(rows.slice(i, i + 400))
      .execute()
  for (const r of rows) cards.set(r.household_id, r.id)
  return cards
}

/** The goods, and a first stock that lasts about a month and a half of expected redemptions. */
async function openSupermarket(
  trx: DB,
  rng: Random,
  village: Village,
  staff: Staff,
  spec: VillageSpec,
): Promise<GenProduct[]> {
  const goods = spec.allGoods ? GOODS : GOODS.filter((g, i) => i < 6 || rng.chance(0.7))
  const monthly = spec.households * spec.redemptionRate * 2 // about two lines per redemption
  const weights = goods.map((g) => 1 / Math.sqrt(g.pointsPrice))
  const sum = weights.reduce((s, w) => s + w, 0)
  const products: GenProduct[] = []
  for (const [i, g] of goods.entries()) {
    const p = await createProduct(trx, staff.cashier, village.id, g)
    const popularity = weights[i]! / sum
    products.push({
      id: p.id,
      price: p.pointsPrice,
      stock: 0,
      target: Math.ceil(monthly * popularity * 1.5) + (g.lowStockThreshold ?? 0) + 2,
      popularity,
    })
  }
  const first = DONORS[0]!
  await receiveStock(trx, staff.cashier, village.id, {
    donor: first.donor,
    donorOrg: first.donorOrg,
    note: '爱心超市开业首批捐赠物资',
    items: products.map((p) => ({ productId: p.id, quantity: p.target })),
  })
  for (const p of products) p.stock = p.target
  return products
}

export async function setUpVillage(
  db: DB,
  rng: Random,
  spec: VillageSpec,
  secrets: Secrets,
  onHousehold: () => void,
): Promise<GenVillage> {
  const village = await createVillage(db, SYSTEM_ACTOR, {
    code: spec.code,
    name: spec.name,
    noticeDays: spec.noticeDays,
  })
  const staff = await createStaff(db, village, spec)
  return withTransaction(db, async (trx) => {
    const { rules } = await loadStarterCatalogue(trx, staff.clerk, village.id)
    const households = await createRoster(trx, rng, village, spec, onHousehold)
    const cards = await issueFirstCards(trx, village, staff, households, spec.cards, secrets)
    const products = await openSupermarket(trx, rng, village, staff, spec)
    return {
      index: spec.index,
      rng,
      village,
      staff,
      rules: new Map(rules.map((r) => [r.code, r])),
      households,
      products,
      cards,
    }
  })
}
