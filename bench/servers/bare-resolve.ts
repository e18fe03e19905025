import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

/*
 * The baseline for card resolve: a bare Hono endpoint on @hono/node-server that answers the same JSON the real
 * endpoint answered for each code, from memory. No auth, no database, no validation: the best this stack does
 * per request on this machine. BARE_RESPONSES names a JSON file {code: answer}.
 */
const answers = new Map(
  Object.entries(JSON.parse(readFileSync(process.env.BARE_RESPONSES!, 'utf8')) as Record<string, unknown>),
)
const app = new Hono()
  .get('/api/health', (c) => c.json({ ok: true }))
  .post('/resolve', async (c) => {
    const { code } = (await c.req.json()) as { code: string }
    const answer = answers.get(code)
    return answer ? c.json(answer) : c.json({ error: { code: 'CARD_INVALID' } }, 422)
  })
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' })
process.on('SIGTERM', () => server.close(() => process.exit(0)))
