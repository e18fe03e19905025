import type { DB } from '../../db/database.js'
import type { Replica } from '../../db/replica.js'
import type { ErrorCode } from '../../shared/errors.js'
import type { ActingUser } from '../core/actor.js'
import type { Secrets } from '../auth/secrets.js'
import type { AuditSink } from '../core/audit-sink.js'
import type { WorkerPool } from '../workers/pool.js'

export interface Deps {
  db: DB
  secrets: Secrets
  audit: AuditSink
  version: string
  /** Threads for long reads (exports, verification, roster parsing); absent for ':memory:' databases. */
  workers?: WorkerPool
  /** GONGYI_DB_REPLICA: the hot standby for reads that can wait (http/reporting.ts); absent without one. */
  replica?: Replica
  /** GONGYI_PUBLIC_URL: the address phones reach the server at; cards then carry the /me link (shared/card-link.ts). */
  publicUrl?: string
}

export type AppEnv = {
  Variables: {
    deps: Deps
    user: ActingUser
    villageId: string | undefined
    errorCode: ErrorCode | undefined
    /** Set by a GET route that changes state (printing a card sheet issues missing cards), so it is audited. */
    auditGet: boolean | undefined
    /** Set by a POST route that only reads (card resolve: the code travels in the body, not the URL), so a success is not audited. */
    readOnly: boolean | undefined
  }
}
