import { createHash } from 'node:crypto'
import QRCode from 'qrcode'
import type { DB } from '../../db/database.js'
import { lockVillage, withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Row } from '../../db/schema.js'
import { cardQrText } from '../../shared/card-link.js'
import type { IssuedCard } from '../../shared/types/cards.js'
import { MAX_CARDS_PER_SCOPE } from '../../shared/schemas/cards.js'
import { actorIdOf, type ActingUser, assertVillage } from '../core/actor.js'
import { DomainError, forbidden, notFound } from '../core/errors.js'
import { scopedVillage } from '../core/scope.js'
import { getHousehold, type Household } from '../households/households.service.js'
import { readCardCode, signCardCode } from './card-code.js'

export type { IssuedCard }

/*
 * A household's QR card. The card row says whether a card is still good; the code on it (card-code.ts) only
 * proves that this system issued it. A household has at most one active card: issuing one revokes the others.
 */

export interface Card {
  id: string
  householdId: string
  serial: string
  status: 'active' | 'revoked'
  issuedAt: string
  issuedBy: string | null
  revokedAt: string | null
}

export const cardRowToCard = (r: Row<'cards'>): Card => ({
  id: r.id,
  householdId: r.household_id,
  serial: r.serial,
  status: r.status,
  issuedAt: r.issued_at,
  issuedBy: r.issued_by,
  revokedAt: r.revoked_at,
})

/**
 * The card a scanned code names, if it may be used in this village: a bad signature or an unknown card is
 * CARD_INVALID, another village's card FORBIDDEN, a revoked card CARD_REVOKED. Used by the counter (redemptions)
 * as well as by the resolve endpoint.
 */
export async function resolveCardCode(
  db: DB,
  actor: ActingUser,
  villageId: string,
  code: string,
  cardKey: Uint8Array,
): Promise<{ cardId: string; serial: string; householdId: string }> {
  assertVillage(actor, villageId)
  const cardId = await readCardCode(cardKey, code)
  const card = await db.selectFrom('cards').selectAll().where('id', '=', cardId).executeTakeFirst()
  if (!card) throw new DomainError('CARD_INVALID', '这张卡不在系统中 (no such card)')
  if (card.village_id !== villageId) throw forbidden("another village's card")
  if (card.status !== 'active') throw new DomainError('CARD_REVOKED', '这张卡已作废，请用新卡 (the card was revoked)')
  return { cardId: card.id, serial: card.serial, householdId: card.household_id }
}

/** The QR image of a code. Slow-ish (a few ms): callers render outside transactions. */
export function renderQrSvg(code: string): Promise<string> {
  return QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
}

/** The serial printed on a card: the household number and how many cards the household has had. */
async function nextSerial(trx: DB, householdId: string, householdNo: string): Promise<string> {
  const { n } = await trx
    .selectFrom('cards')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('household_id', '=', householdId)
    .executeTakeFirstOrThrow()
  return `${householdNo}-${Number(n) + 1}`
}

function newCardRow(villageId: string, householdId: string, serial: string, actorId: string | null): Row<'cards'> {
  return {
    id: newId(),
    village_id: villageId,
    household_id: householdId,
    serial,
    status: 'active',
    issued_at: nowIso(),
    issued_by: actorId,
    revoked_at: null,
  }
}

/** Issues a new card to a household and revokes its earlier ones (a lost card stops working the moment the new one exists). */
export async function issueCard(
  db: DB,
  actor: ActingUser,
  householdId: string,
  cardKey: Uint8Array,
  publicUrl?: string | null,
): Promise<IssuedCard> {
  const villageId = await scopedVillage(db, actor, 'households', householdId)
  const actorId = actorIdOf(actor)
  const row = await withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const household = await trx
      .selectFrom('households')
      .select('household_no')
      .where('id', '=', householdId)
      .where('village_id', '=', villageId)
      .executeTakeFirst()
    if (!household) throw notFound('household')
    const at = nowIso()
    await trx
      .updateTable('cards')
      .set({ status: 'revoked', revoked_at: at })
      .where('village_id', '=', villageId)
      .where('household_id', '=', householdId)
      .where('status', '=', 'active')
      .execute()
    const card = newCardRow(villageId, householdId, await nextSerial(trx, householdId, household.household_no), actorId)
    await trx.insertInto('cards').values(card).execute()
    return card
  })
  // `code` is what the QR holds: with a public address, the /me link that carries the signed code.
  const code = cardQrText(await signCardCode(cardKey, row.id), publicUrl)
  return { id: row.id, serial: row.serial, code, svg: await renderQrSvg(code) }
}

/** Revokes a card (lost, stolen, damaged). Revoking a revoked card changes nothing and keeps the first date. */
export async function revokeCard(db: DB, actor: ActingUser, cardId: string): Promise<Card> {
  const villageId = await scopedVillage(db, actor, 'cards', cardId)
  await db
    .updateTable('cards')
    .set({ status: 'revoked', revoked_at: nowIso() })
    .where('id', '=', cardId)
    .where('village_id', '=', villageId)
    .where('status', '=', 'active')
    .execute()
  return getCard(db, actor, cardId)
}

export async function getCard(db: DB, actor: ActingUser, cardId: string): Promise<Card> {
  const row = await db.selectFrom('cards').selectAll().where('id', '=', cardId).executeTakeFirst()
  if (!row) throw notFound('card')
  assertVillage(actor, row.village_id)
  return cardRowToCard(row)
}

/** A household's cards, newest first. Codes are not listed: only a clerk's issue or print shows them. */
export async function listCards(db: DB, actor: ActingUser, householdId: string): Promise<{ items: Card[] }> {
  const villageId = await scopedVillage(db, actor, 'households', householdId)
  const rows = await db
    .selectFrom('cards')
    .selectAll()
    .where('village_id', '=', villageId)
    .where('household_id', '=', householdId)
    .orderBy('id', 'desc')
    .execute()
  return { items: rows.map(cardRowToCard) }
}

/** The QR image of an active card, e.g. to print one card again. A revoked card's QR is never shown. */
export async function activeCardSvg(
  db: DB,
  actor: ActingUser,
  cardId: string,
  cardKey: Uint8Array,
  publicUrl?: string | null,
): Promise<string> {
  const card = await getCard(db, actor, cardId)
  if (card.status !== 'active') throw new DomainError('CARD_REVOKED', 'the card was revoked')
  return renderQrSvg(cardQrText(await signCardCode(cardKey, card.id), publicUrl))
}

/** What the counter sees after a scan: which card, and whose household with its balance. */
export async function resolveCard(
  db: DB,
  actor: ActingUser,
  villageId: string,
  code: string,
  cardKey: Uint8Array,
): Promise<{ card: { id: string; serial: string }; household: Household }> {
  const card = await resolveCardCode(db, actor, villageId, code, cardKey)
  const household = await getHousehold(db, actor, card.householdId, { members: false })
  return { card: { id: card.cardId, serial: card.serial }, household }
}

/** One card of a printed sheet. */
export interface PrintableCard {
  householdId: string
  householdNo: string
  headName: string
  serial: string
  svg: string
}

/**
 * The households' current active cards, ready to print, in the order asked for.
 *
 * Printing never replaces a card: the sheet shows each household's active card, and only a household that has
 * none gets one. Issuing afresh would revoke the cards villagers already carry every time a sheet is printed
 * (a reprint after a paper jam, a batch that includes carded households), and the counter would turn them away.
 * Reprinting is possible because the code of a card is always the same (card-code.ts).
 */
export async function cardsForPrinting(
  db: DB,
  actor: ActingUser,
  villageId: string,
  householdIds: string[],
  cardKey: Uint8Array,
  publicUrl?: string | null,
): Promise<{ villageName: string; cards: PrintableCard[] }> {
  assertVillage(actor, villageId)
  const actorId = actorIdOf(actor)
  const ids = [...new Set(householdIds)]
  const village = await db.selectFrom('villages').select('name').where('id', '=', villageId).executeTakeFirst()
  if (!village) throw notFound('village')
  const rows = await withTransaction(db, async (trx) => {
    await lockVillage(trx, villageId)
    const households = await inChunks(ids, (part) =>
      trx
        .selectFrom('households')
        .select(['id', 'household_no', 'head_name'])
        .where('village_id', '=', villageId)
        .where('id', 'in', part)
        .execute(),
    )
    if (households.length !== ids.length) {
      const found = new Set(households.map((h) => h.id))
      throw new DomainError(
        'NOT_FOUND',
        'household not found',
        ids.filter((id) => !found.has(id)).map((id) => ({ field: 'householdIds', message: id })),
      )
    }
    const active = await inChunks(ids, (part) =>
      trx
        .selectFrom('cards')
        .selectAll()
        .where('village_id', '=', villageId)
        .where('status', '=', 'active')
        .where('household_id', 'in', part)
        .execute(),
    )
    const cardOf = new Map(active.map((c) => [c.household_id, c]))
    for (const h of households) {
      if (cardOf.has(h.id)) continue
      const card = newCardRow(villageId, h.id, await nextSerial(trx, h.id, h.household_no), actorId)
      await trx.insertInto('cards').values(card).execute()
      cardOf.set(h.id, card)
    }
    const byId = new Map(households.map((h) => [h.id, h]))
    return ids.map((id) => ({ household: byId.get(id)!, card: cardOf.get(id)! }))
  })
  // Signing and QR rendering after the commit: the database is one connection and must not wait on them.
  const printable: PrintableCard[] = []
  for (const { household, card } of rows) {
    const svg = await renderQrSvg(cardQrText(await signCardCode(cardKey, card.id), publicUrl))
    printable.push({
      householdId: household.id,
      householdNo: household.household_no,
      headName: household.head_name,
      serial: card.serial,
      svg,
    })
  }
  return { villageName: village.name, cards: printable }
}

/**
 * The households a whole-village print covers (issue 17): every one, or those without an active card, by
 * number. Over MAX_CARDS_PER_SCOPE the clerk prints by selection instead (one sheet must render in seconds).
 */
export async function householdsForPrinting(
  db: DB,
  actor: ActingUser,
  villageId: string,
  scope: 'all' | 'withoutCard',
): Promise<string[]> {
  assertVillage(actor, villageId)
  let q = db
    .selectFrom('households as h')
    .select('h.id')
    .where('h.village_id', '=', villageId)
    .orderBy('h.household_no')
    .limit(MAX_CARDS_PER_SCOPE + 1)
  if (scope === 'withoutCard') {
    q = q.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('cards as c')
            .select('c.id')
            .whereRef('c.household_id', '=', 'h.id')
            .where('c.village_id', '=', villageId)
            .where('c.status', '=', 'active'),
        ),
      ),
    )
  }
  const rows = await q.execute()
  if (rows.length === 0) throw new DomainError('NOT_FOUND', '没有需要打印卡片的农户 (no household to print a card for)')
  if (rows.length > MAX_CARDS_PER_SCOPE) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `一次最多打印 ${MAX_CARDS_PER_SCOPE} 户，请分批选择 (at most ${MAX_CARDS_PER_SCOPE} households a sheet)`,
      [{ field: 'scope', message: `more than ${MAX_CARDS_PER_SCOPE} households` }],
    )
  }
  return rows.map((r) => r.id)
}

/** Runs a query per chunk of ids: SQLite limits how many values one statement may bind. */
async function inChunks<T>(ids: string[], run: (part: string[]) => Promise<T[]>, size = 400): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < ids.length; i += size) out.push(...(await run(ids.slice(i, i + size))))
  return out
}

/**
 * SHA-256 hashes of the codes of the village's active cards, for the counter's offline snapshot: a hash lets a
 * tablet recognise a card it is shown and nothing more (it cannot make a code from it); a revoked card is absent.
 */
export async function activeCardHashes(
  db: DB,
  actor: ActingUser,
  villageId: string,
  cardKey: Uint8Array,
): Promise<{ hash: string; householdId: string }[]> {
  assertVillage(actor, villageId)
  const cards = await db
    .selectFrom('cards')
    .select(['id', 'household_id'])
    .where('village_id', '=', villageId)
    .where('status', '=', 'active')
    .execute()
  return Promise.all(
    cards.map(async (c) => ({ hash: cardCodeHash(await signCardCode(cardKey, c.id)), householdId: c.household_id })),
  )
}

export const cardCodeHash = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex')

/** The card a code names in this village, active or revoked (an offline sale's conflict still names its household); null when none. */
export async function cardOfCode(
  db: DB,
  actor: ActingUser,
  villageId: string,
  code: string,
  cardKey: Uint8Array,
): Promise<{ cardId: string; householdId: string } | null> {
  assertVillage(actor, villageId)
  try {
    const cardId = await readCardCode(cardKey, code)
    const card = await db
      .selectFrom('cards')
      .select(['id', 'household_id', 'village_id'])
      .where('id', '=', cardId)
      .executeTakeFirst()
    return card?.village_id === villageId ? { cardId: card.id, householdId: card.household_id } : null
  } catch {
    return null
  }
}
