import type { DB } from '../../db/database.js'
import type { ErrorCode } from '../../shared/errors.js'
import type { ActingUser } from '../core/actor.js'
import type { Secrets } from '../auth/secrets.js'
import type { AuditSink } from '../core/audit-sink.js'

export interface Deps {
  db: DB
  secrets: Secrets
  audit: AuditSink
  version: string
}

export type AppEnv = {
  Variables: {
    deps: Deps
    user: ActingUser
    villageId: string | undefined
    errorCode: ErrorCode | undefined
    /** Set by a GET route that changes state (printing a card sheet issues missing cards), so it is audited. */
    auditGet: boolean | undefined
  }
}
