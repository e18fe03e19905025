import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { AppEnv } from './types.js'

/** Records every state-changing request, refused or not: who, what, on which path, and how it ended. */
export const auditRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next()
  const readOnly = c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS'
  if (readOnly && !c.get('auditGet')) return
  const user = c.get('user')
  c.var.deps.audit.record({
    villageId: c.get('villageId') ?? user?.villageId ?? null,
    userId: user?.id ?? null,
    username: user?.username ?? safeUsername(c),
    action: `${c.req.method} ${routePath(c)}`,
    target: c.req.path,
    status: c.res.status,
    outcome: c.get('errorCode') ?? 'ok',
  })
}

// For failed logins the username is the interesting part; never the password.
function safeUsername(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string | null {
  return c.req.path.endsWith('/auth/login') ? '(login)' : null
}
