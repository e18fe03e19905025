import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { compress } from 'hono/compress'
import { secureHeaders } from 'hono/secure-headers'
import { auditRoutes } from './audit/audit.routes.js'
import { householdRoutes } from './households/households.routes.js'
import { requireLogin } from './http/access.js'
import { auditRequests } from './http/audit-requests.js'
import { corsPolicy } from './http/cors.js'
import { CARD_RESOLVE_LIMIT, rateLimitPerUser } from './http/rate-limit.js'
import { type LogSink, requestLog } from './http/request-log.js'
import { errorBody, handleError } from './http/error-handler.js'
import type { AppEnv, Deps } from './http/types.js'
import { awardRoutes } from './awards/awards.routes.js'
import { cardRoutes } from './cards/cards.routes.js'
import { exportRoutes } from './exports/exports.routes.js'
import { ledgerRoutes } from './ledger/ledger.routes.js'
import { ruleRoutes } from './rules/rules.routes.js'
import { caRoute, type SetupSource, setupRoutes } from './tls/setup.js'
import { transportPolicy } from './tls/transport-policy.js'
import { supermarketRoutes } from './supermarket/supermarket.routes.js'
import { tagRoutes } from './tags/tags.routes.js'
import { reliefRoutes } from './relief/relief.routes.js'
import { reliefReportRoutes } from './exports/relief-report.routes.js'
import { loginRoutes, userRoutes } from './users/users.routes.js'
import { villageRoutes } from './villages/villages.routes.js'
import { claimRoutes } from './villager/claims.routes.js'
import { villagerRoutes } from './villager/villager.routes.js'

/** Largest request body: a 5 MB evidence photo or a county roster, with room for encoding. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024

/** The feature routers that need a logged-in user, each scoped and guarded inside. */
const FEATURES = [
  userRoutes,
  villageRoutes,
  householdRoutes,
  cardRoutes,
  ruleRoutes,
  awardRoutes,
  ledgerRoutes,
  supermarketRoutes,
  exportRoutes,
  auditRoutes,
  claimRoutes,
  // issue 18: household categories, relief, vouchers, written replies, household files, township
  tagRoutes,
  reliefRoutes,
  reliefReportRoutes,
]

export interface AppOptions {
  webRoot?: string
  corsOrigin?: string
  log?: LogSink
  /** The server's TLS and addresses, for the setup page, /ca.crt and the plain-HTTP policy (server/tls/). */
  setup?: () => SetupSource | null
}

export function createApp(deps: Deps, opts: AppOptions = {}) {
  const setup = opts.setup ?? (() => null)
  const api = new Hono<AppEnv>()
  api.use('*', auditRequests)
  api.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json(errorBody('PAYLOAD_TOO_LARGE', 'the request body is too large'), 413),
    }),
  )
  api.get('/health', (c) => c.json({ ok: true, version: deps.version }))
  api.route('/', loginRoutes)
  api.route('/', villagerRoutes) // a villager's phone: its own sign-in and /me/*, never past requireLogin
  api.use('*', requireLogin)
  api.use('/villages/:vid/cards/resolve', rateLimitPerUser(CARD_RESOLVE_LIMIT))
  for (const feature of FEATURES) api.route('/', feature)
  api.route('/', setupRoutes(setup))

  const app = new Hono<AppEnv>()
  if (opts.log) app.use('*', requestLog(opts.log))
  app.use('*', async (c, next) => {
    c.set('deps', deps)
    await next()
  })
  app.use('*', secureHeaders({ crossOriginEmbedderPolicy: false }))
  if (setup()?.tls) app.use('*', transportPolicy())
  app.route('/', caRoute(setup))
  const cors = corsPolicy(opts.corsOrigin)
  if (cors) app.use('/api/*', cors)
  app.route('/api', api)
  app.all('/api/*', (c) => c.json(errorBody('NOT_FOUND', `no such endpoint: ${c.req.method} ${c.req.path}`), 404))
  if (opts.webRoot && existsSync(join(opts.webRoot, 'index.html'))) serveWeb(app, opts.webRoot)
  app.notFound((c) => c.json(errorBody('NOT_FOUND', 'not found'), 404))
  app.onError(handleError)
  return app
}

/** Vite names what it builds under /assets/ by content hash: a new build is a new name, so a file there never changes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * The built web app; unknown non-API paths get index.html so the app's own router handles them. Compressed
 * (gzip: the JS, CSS, HTML and the 950 KB zxing wasm) for a tablet on weak village Wi-Fi; hashed assets are
 * cached for good, index.html is checked on every load so a new build is picked up at once. The villager's
 * phone page is an entry of its own (me.html), small enough for a slow mobile connection.
 */
function serveWeb(app: Hono<AppEnv>, root: string) {
  const index = readFileSync(join(root, 'index.html'), 'utf8')
  const me = existsSync(join(root, 'me.html')) ? readFileSync(join(root, 'me.html'), 'utf8') : null
  app.use('/*', compress())
  app.use('/*', async (c, next) => {
    await next()
    if (c.res.status !== 200 || c.res.headers.has('Cache-Control')) return
    c.header('Cache-Control', c.req.path.startsWith('/assets/') ? IMMUTABLE : 'no-cache')
  })
  if (me) {
    app.get('/me', (c) => c.html(me))
    app.get('/me/*', (c) => c.html(me))
  }
  app.use('/*', serveStatic({ root }))
  app.get('/*', (c) => c.html(index))
}
