import { ADMIN_PASSWORD, type HttpRes, client } from './server.js'

type Client = ReturnType<typeof client>

function ok(res: HttpRes, what: string): any {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 500)}`)
  return res.body
}

export interface SeededVillage {
  vid: string
  code: string
  tokens: { admin: string; clerk: string; approver: string; approver2: string; cashier: string }
  householdIds: string[]
  ruleId: string
}

/**
 * A village on a running server, made the way a village would: staff, a roster import of `households`
 * households, a rule worth `points`, and (when points > 0) one award of it to everybody, approved and posted.
 */
export async function seedVillage(
  api: Client,
  opts: { households: number; points: number; tag?: string },
): Promise<SeededVillage> {
  const admin = await api.login('admin', ADMIN_PASSWORD)
  const code = `${opts.tag ?? 'R'}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`
  const v = ok(await api.post('/api/villages', { code, name: `可靠村${code}`, noticeDays: 0 }, admin), 'village')
  const tokens: Record<string, string> = { admin }
  // approver2: adjustments need a second approver (issue 13).
  for (const role of ['clerk', 'approver', 'approver2', 'cashier']) {
    const username = `${role}-${code}`
    ok(
      await api.post(
        '/api/users',
        { username, password: `pw-${role}-123`, roles: [role.replace(/\d$/, '')], villageId: v.id },
        admin,
      ),
      role,
    )
    tokens[role] = await api.login(username, `pw-${role}-123`)
  }
  const rows = Array.from({ length: opts.households }, (_, i) => `${code}-${String(i).padStart(5, '0')},户主${i},,`)
  ok(
    await api.call(
      'POST',
      `/api/villages/${v.id}/households/import`,
      `householdNo,headName,phone,address\n${rows.join('\n')}\n`,
      tokens.clerk,
      { 'content-type': 'text/csv' },
    ),
    'import',
  )
  const householdIds: string[] = []
  let cursor: string | null = null
  do {
    const page: any = ok(
      await api.get(
        `/api/villages/${v.id}/households?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        tokens.clerk,
      ),
      'list',
    )
    householdIds.push(...page.items.map((h: any) => h.id))
    cursor = page.nextCursor
  } while (cursor)
  const rule = ok(
    await api.post(
      `/api/villages/${v.id}/rules`,
      { code: 'R1', name: '环境整治', category: '环境', points: Math.max(1, opts.points) },
      tokens.clerk,
    ),
    'rule',
  )
  if (opts.points > 0) await awardEverybody(api, { vid: v.id, tokens, ruleId: rule.id } as SeededVillage, householdIds)
  return { vid: v.id, code, tokens: tokens as SeededVillage['tokens'], householdIds, ruleId: rule.id }
}

/** Proposes one award of the village's rule to these households and approves it (it posts: noticeDays is 0). */
export async function awardEverybody(
  api: Client,
  v: Pick<SeededVillage, 'vid' | 'tokens' | 'ruleId'>,
  householdIds: string[],
) {
  const award = ok(
    await api.post(
      `/api/villages/${v.vid}/awards`,
      { ruleId: v.ruleId, householdIds, occurredOn: '2024-05-01' },
      v.tokens.clerk,
    ),
    'award',
  )
  const approved = ok(await api.post(`/api/awards/${award.id}/approve`, {}, v.tokens.approver), 'approve')
  if (approved.status !== 'posted') throw new Error(`award did not post: ${approved.status}`)
  return award.id as string
}

/**
 * A card for each of these households, issued before a storm begins (a sale needs the card, or a PIN, since
 * issue 13's CARD_REQUIRED): household id → card code.
 */
export async function issueCards(
  api: Client,
  v: Pick<SeededVillage, 'tokens'>,
  householdIds: string[],
): Promise<Map<string, string>> {
  const codes = new Map<string, string>()
  for (const hid of householdIds)
    codes.set(hid, ok(await api.post(`/api/households/${hid}/cards`, {}, v.tokens.clerk), 'card').code)
  return codes
}
