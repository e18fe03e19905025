/** A card just issued, as POST /api/households/:id/cards answers (server/cards, read by the web app). */
export interface IssuedCard {
  id: string
  serial: string
  code: string
  svg: string
}
