import type { MiddlewareHandler } from 'hono'
import { errorBody } from '../http/error-handler.js'
import type { AppEnv } from '../http/types.js'
import { isEncrypted } from './listener.js'
import { isLoopbackHost } from './tls.js'

/*
 * With TLS on, plain HTTP is for this PC (loopback) and for what a tablet needs before it trusts the village CA.
 * From anywhere else:
 * - /api is refused (403 HTTPS_REQUIRED, naming the https address), login included. Refused, not redirected:
 *   a redirect would come after the token or password had already crossed the Wi-Fi in clear, and a client
 *   that follows it silently would keep doing so; a refusal makes the wrong address visible at once.
 * - a page is redirected (308) to the same address over https, so a bookmark or a typed address still lands.
 * - /ca.crt and /api/health answer: the certificate to install cannot need the certificate first.
 * HSTS is sent by secureHeaders on every answer; browsers keep it from HTTPS answers only.
 */

const OPEN_OVER_HTTP = new Set(['/ca.crt', '/api/health'])

export function transportPolicy(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = (c.env as { incoming?: import('node:http').IncomingMessage } | undefined)?.incoming
    if (!incoming || isEncrypted(incoming)) return next()
    const remote = incoming.socket?.remoteAddress ?? ''
    if (isLoopbackHost(remote) || OPEN_OVER_HTTP.has(c.req.path)) return next()
    const host = c.req.header('host') ?? ''
    const https = `https://${host}${c.req.path}`
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) {
      return c.json(
        errorBody(
          'HTTPS_REQUIRED',
          `this server takes logins and tokens over https only: open https://${host}/ (the setup page says how to trust its certificate)`,
          { url: https },
        ),
        403,
      )
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD')
      return c.json(errorBody('HTTPS_REQUIRED', `use https://${host}/`, { url: https }), 403)
    const url = new URL(c.req.url)
    return c.redirect(`${https}${url.search}`, 308)
  }
}
