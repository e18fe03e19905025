import type { DB } from '../../db/database.js'
import { SYSTEM_ACTOR } from '../../server/core/actor.js'
import { updateHousehold, updateMember } from '../../server/households/households.service.js'
import { giveRelief } from '../../server/relief/relief.service.js'
import { createProduct } from '../../server/supermarket/products/products.service.js'
import { receiveStock } from '../../server/supermarket/donations/receipts.service.js'
import type { HouseholdTag } from '../../shared/tags.js'
import type { Random } from './random.js'

/*
 * Issue 18 in the demo village: what the villages themselves describe. Household categories in believable
 * proportions (a village of 240 households has a dozen 低保 households, a few 五保 and 特困, left-behind elders
 * and children, a party member in about one household in eight), then the relief shelf (阳光超市): the civil
 * affairs office's donation of rice and oil, handed out to every 低保 household before the Spring Festival and
 * to the 五保 and 特困 households, each with its sign-off sheet. All through the real services.
 */

/** Share of households in each category (a household may be in several). */
const SHARES: [HouseholdTag, number][] = [
  ['低保', 0.05],
  ['特困', 0.015],
  ['五保', 0.015],
  ['重病', 0.03],
  ['残疾', 0.04],
  ['留守老人', 0.08],
  ['留守儿童', 0.05],
  ['零就业', 0.02],
]

export interface PracticeCounts {
  tagged: number
  partyMembers: number
  relief: number
}

export async function addVillagePractice(db: DB, villageId: string, rng: Random): Promise<PracticeCounts> {
  const households = await db
    .selectFrom('households')
    .select(['id'])
    .where('village_id', '=', villageId)
    .orderBy('household_no')
    .execute()
  const members = await db
    .selectFrom('household_members')
    .select(['id', 'household_id'])
    .where('village_id', '=', villageId)
    .where('removed_at', 'is', null)
    .execute()
  let tagged = 0
  let party = 0
  for (const h of households) {
    const tags: HouseholdTag[] = SHARES.filter(([, p]) => rng.next() < p).map(([tag]) => tag)
    // 五保 and 特困 are one status under two names: a household is recorded as one of them.
    if (tags.includes('五保') && tags.includes('特困')) tags.splice(tags.indexOf('特困'), 1)
    const own = members.filter((m) => m.household_id === h.id)
    if (own.length && rng.next() < 0.12) {
      await updateMember(db, SYSTEM_ACTOR, h.id, own[0]!.id, { partyMember: true })
      tags.push('党员户')
      party++
    }
    if (tags.length) {
      await updateHousehold(db, SYSTEM_ACTOR, h.id, { tags })
      tagged++
    }
  }
  const rice = await createProduct(db, SYSTEM_ACTOR, villageId, {
    sku: 'JZ-RICE',
    name: '救助大米 10斤',
    unit: '袋',
    category: '救助物资',
    pointsPrice: 40,
  })
  const oil = await createProduct(db, SYSTEM_ACTOR, villageId, {
    sku: 'JZ-OIL',
    name: '救助食用油 5升',
    unit: '桶',
    category: '救助物资',
    pointsPrice: 60,
  })
  await receiveStock(db, SYSTEM_ACTOR, villageId, {
    donor: '镇民政办',
    donorOrg: '县民政局',
    note: '春节困难群众慰问物资',
    items: [
      { productId: rice.id, quantity: 60 },
      { productId: oil.id, quantity: 40 },
    ],
  })
  let relief = 0
  for (const [tag, note, items] of [
    [
      '低保',
      '春节慰问 低保户',
      [
        { productId: rice.id, quantity: 1 },
        { productId: oil.id, quantity: 1 },
      ],
    ],
    [
      '五保',
      '春节慰问 五保户',
      [
        { productId: rice.id, quantity: 2 },
        { productId: oil.id, quantity: 1 },
      ],
    ],
    [
      '特困',
      '春节慰问 特困户',
      [
        { productId: rice.id, quantity: 2 },
        { productId: oil.id, quantity: 1 },
      ],
    ],
  ] as const) {
    const any = await db
      .selectFrom('household_tags')
      .select('household_id')
      .where('village_id', '=', villageId)
      .where('tag', '=', tag)
      .executeTakeFirst()
    if (!any) continue
    await giveRelief(db, SYSTEM_ACTOR, villageId, { tag, note, items: items.map((i) => ({ ...i })) })
    relief++
  }
  return { tagged, partyMembers: party, relief }
}
