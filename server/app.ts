import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
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
import { supermarketRoutes } from './supermarket/supermarket.routes.js'
import { loginRoutes, userRoutes } from './users/users.routes.js'
import { villageRoutes } from './villages/villages.routes.js'

/** Largest request body: a 5 MB evidence photo or a county roster, with room for encoding. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024

/** The feature routers that need a logged-in user, each scoped and guarded inside. */
const FEATURES = [
  userRoutes, villageRoutes, householdRoutes, cardRoutes, ruleRoutes, awardRoutes, ledgerRoutes, supermarketRoutes,
  exportRoutes, auditRoutes,
]

export function createApp(deps: Deps, opts: { webRoot?: string; corsOrigin?: string; log?: LogSink } = {}) {
  const api = new Hono<AppEnv>()
  api.use('*', auditRequests)
  api.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json(errorBody('PAYLOAD_TOO_LARGE', 'the request body is too large'), 413) }))
  api.get('/health', (c) => c.json({ ok: true, version: deps.version }))
  api.route('/', loginRoutes)
  api.use('*', requireLogin)
  api.use('/villages/:vid/cards/resolve', rateLimitPerUser(CARD_RESOLVE_LIMIT))
  for (const feature of FEATURES) api.route('/', feature)

  const app = new Hono<AppEnv>()
  if (opts.log) app.use('*', requestLog(opts.log))
  app.use('*', async (c, next) => {
    c.set('deps', deps)
    await next()
  })
  app.use('*', secureHeaders({ crossOriginEmbedderPolicy: false }))
  app.use('/api/*', corsPolicy(opts.corsOrigin))
  app.route('/api', api)
  app.all('/api/*', (c) => c.json(errorBody('NOT_FOUND', `no such endpoint: ${c.req.method} ${c.req.path}`), 404))
  if (opts.webRoot && existsSync(join(opts.webRoot, 'index.html'))) serveWeb(app, opts.webRoot)
  app.notFound((c) => c.json(errorBody('NOT_FOUND', 'not found'), 404))
  app.onError(handleError)
  return app
}

/** The built web app; unknown non-API paths get index.html so the app's own router handles them. */
function serveWeb(app: Hono<AppEnv>, root: string) {
  const index = readFileSync(join(root, 'index.html'), 'utf8')
  app.use('/*', serveStatic({ root }))
  app.get('/*', (c) => c.html(index))
}
