import type { Household } from './households.js'

/** A card just issued, as POST /api/households/:id/cards answers (server/cards, read by the web app). */
export interface IssuedCard {
  id: string
  serial: string
  code: string
  svg: string
}

/** POST /api/villages/:vid/cards/resolve: the card and its household (name and balance at least; the rest comes with GET /api/households/:id). */
export interface ResolvedCard {
  card: { id: string; serial: string }
  household: Household
}
