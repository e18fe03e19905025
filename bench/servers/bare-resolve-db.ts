import { createHmac, timingSafeEqual } from 'node:crypto'
import { serve } from '@hono/node-server'
import SQLite from 'better-sqlite3'
import { Hono } from 'hono'

/*
 * The fair baseline for card resolve: a bare Hono endpoint on @hono/node-server doing what the real endpoint
 * must do per scan, with statements prepared once and no middleware: the card code's HMAC (synchronously,
 * proven codes remembered as the server does), the village, the card (active, this village's), and the
 * household with its balance, answered as the same JSON. No login token, no audit, no log, no validation
 * library. BARE_DB names the database file, BARE_CARD_KEY the card key (hex), BARE_VILLAGE the village id.
 */
const db = new SQLite(process.env.BARE_DB!, { readonly: true, fileMustExist: true })
db.pragma('busy_timeout = 5000')
const key = Buffer.from(process.env.BARE_CARD_KEY!, 'hex')
const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url')
const q = {
  village: db.prepare('select id from villages where id = ?').pluck(),
  card: db.prepare('select id, village_id, household_id, serial, status from cards where id = ?'),
  household: db.prepare('select h.*, a.balance from households h join accounts a on a.id = h.id where h.id = ?'),
}
const proven = new Map<string, string>()

function cardIdOf(code: string): string | null {
  const known = proven.get(code)
  if (known) return known
  const [payload, signature] = code.split('.')
  const mac = createHmac('sha256', key).update(`${header}.${payload}`).digest()
  const given = Buffer.from(signature ?? '', 'base64url')
  if (given.length !== mac.length || !timingSafeEqual(given, mac)) return null
  const id = (JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { c: string }).c
  proven.set(code, id)
  return id
}

type HouseholdRow = Record<string, string | number | null> & { balance: number }

const app = new Hono()
  .get('/api/health', (c) => c.json({ ok: true }))
  .post('/villages/:vid/resolve', async (c) => {
    const vid = c.req.param('vid')
    if (!q.village.get(vid)) return c.json({ error: { code: 'NOT_FOUND' } }, 404)
    const { code } = (await c.req.json()) as { code: string }
    const cardId = typeof code === 'string' ? cardIdOf(code) : null
    if (!cardId) return c.json({ error: { code: 'CARD_INVALID' } }, 422)
    const card = q.card.get(cardId) as
      | { id: string; village_id: string; household_id: string; serial: string; status: string }
      | undefined
    if (!card) return c.json({ error: { code: 'CARD_INVALID' } }, 422)
    if (card.village_id !== vid) return c.json({ error: { code: 'FORBIDDEN' } }, 403)
    if (card.status !== 'active') return c.json({ error: { code: 'CARD_REVOKED' } }, 422)
    const h = q.household.get(card.household_id) as HouseholdRow
    return c.json({
      card: { id: card.id, serial: card.serial },
      household: {
        id: h.id,
        villageId: h.village_id,
        householdNo: h.household_no,
        headName: h.head_name,
        phone: h.phone,
        address: h.address,
        hasPin: h.pin_hash !== null,
        balance: h.balance,
        honour: h.honour,
        suspendedUntil: h.suspended_until,
        suspendedReason: h.suspended_reason,
        createdAt: h.created_at,
      },
    })
  })
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' })
process.on('SIGTERM', () => server.close(() => process.exit(0)))
