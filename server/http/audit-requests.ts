import type { Context, MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import { type AuditWho, committedAuditRow, currentAuditNotes as auditNotes, runAudited } from '../core/audit-context.js'
import type { AppEnv } from './types.js'

/**
 * Records every state-changing request, refused or not: who, what, on which path, and how it ended. A change
 * made in a transaction is recorded inside it (core/audit-context.ts); the rest is written here, at once,
 * before the answer leaves.
 */
export const auditRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  const readOnly = c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS'
  const who = (): AuditWho => {
    const user = c.get('user')
    return {
      villageId: c.get('villageId') ?? user?.villageId ?? null,
      userId: user?.id ?? null,
      username: user?.username ?? safeUsername(c),
      action: `${c.req.method} ${routePath(c)}`,
      target: c.req.path,
    }
  }
  let note: { committed: string | null; householdId: string | null; changes: Record<string, unknown> | null } = {
    committed: null,
    householdId: null,
    changes: null,
  }
  if (readOnly) await next()
  else {
    await runAudited(who, async () => {
      await next()
      note = { committed: committedAuditRow(), ...auditNotes() }
    })
  }
  if (readOnly && !c.get('auditGet')) return
  // A read sent as POST that succeeded changed nothing; refused ones (a script walking card codes) are recorded.
  if (c.get('readOnly') && c.res.status < 400) return
  // Recorded with the change it made.
  if (note.committed && c.res.status < 400) return
  await c.var.deps.audit.write({
    ...who(),
    status: c.res.status,
    outcome: c.get('errorCode') ?? 'ok',
    householdId: note.householdId,
    changes: note.changes,
  })
}

// For failed logins the username is the interesting part; never the password.
function safeUsername(c: Context<AppEnv>): string | null {
  return c.req.path.endsWith('/auth/login') ? '(login)' : null
}
