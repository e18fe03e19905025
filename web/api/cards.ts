import type { ResolveCardInput } from '../../shared/schemas/cards.js'
import type { IssuedCard, ResolvedCard } from '../../shared/types/cards.js'
import { http, openPrintable, qs } from './client.js'

/** The villagers' QR cards: issue, print, and resolve a scanned code at the counter. */
export const cards = {
  issue: (householdId: string) => http.post<IssuedCard>(`/api/households/${householdId}/cards`),
  resolve: (vid: string, body: ResolveCardInput) => http.post<ResolvedCard>(`/api/villages/${vid}/cards/resolve`, body),
  /** Opens the printable cards of these households in a new window. */
  /** Every household (`all`) or every one without an active card (`withoutCard`), in one sheet (issue 17). */
  printScope: (vid: string, scope: 'all' | 'withoutCard') =>
    openPrintable(`/api/villages/${vid}/cards/print${qs({ scope })}`),
  print: (vid: string, householdIds: readonly string[]) =>
    openPrintable(`/api/villages/${vid}/cards/print${qs({ householdIds: householdIds.join(',') })}`),
}
