import QRCode from 'qrcode'
import type { DB } from '../../db/database.js'
import { withTransaction } from '../../db/database.js'
import { newId, nowIso } from '../../db/ids.js'
import type { Row } from '../../db/schema.js'
import { DomainError, forbidden, notFound } from '../http/errors.js'
import { readCardCode, signCardCode } from './card-code.js'

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

export interface IssuedCard {
  id: string
  serial: string
  code: string
  svg: string
}

export const cardRowToCard = (r: Row<'cards'>): Card => ({
  id: r.id, householdId: r.household_id, serial: r.serial, status: r.status, issuedAt: r.issued_at,
  issuedBy: r.issued_by, revokedAt: r.revoked_at,
})

/**
 * The card a scanned code names, if it may be used in this village: a bad signature or an unknown card is
 * CARD_INVALID, another village's card FORBIDDEN, a revoked card CARD_REVOKED. Used by the counter (redemptions)
 * as well as by the resolve endpoint.
 */
export async function resolveCardCode(
  db: DB,
  cardKey: Uint8Array,
  villageId: string,
  code: string,
): Promise<{ cardId: string; serial: string; householdId: string }> {
  const cardId = await readCardCode(cardKey, code)
  const card = await db.selectFrom('cards').selectAll().where('id', '=', cardId).executeTakeFirst()
  if (!card) throw new DomainError('CARD_INVALID', '这张卡不在系统中 (no such card)')
  if (card.village_id !== villageId) throw forbidden("another village's card")
  if (card.status !== 'active') throw new DomainError('CARD_REVOKED', '这张卡已作废，请用新卡 (the card was revoked)')
  return { cardId: card.id, serial: card.serial, householdId: card.household_id }
}
