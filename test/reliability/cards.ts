import type { client } from './server.js'

/**
 * A card for each household (the clerk issues them): the code a counter scans. A sale by household id alone needs
 * the household's PIN (CARD_REQUIRED otherwise, issue 13), so the storms sell by card as a counter does.
 */
export async function issueCards(
  api: ReturnType<typeof client>,
  clerkToken: string,
  householdIds: string[],
): Promise<Map<string, string>> {
  const codes = new Map<string, string>()
  for (const hid of householdIds) {
    const res = await api.post(`/api/households/${hid}/cards`, {}, clerkToken)
    if (res.status !== 201) throw new Error(`card for ${hid}: ${res.status} ${res.text.slice(0, 200)}`)
    codes.set(hid, res.body.code)
  }
  return codes
}
