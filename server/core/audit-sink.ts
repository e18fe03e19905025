/** One state-changing request, as the audit log keeps it. */
export interface AuditRecord {
  villageId: string | null
  userId: string | null
  username: string | null
  action: string
  target: string
  status: number
  outcome: string
  householdId?: string | null
  changes?: Record<string, unknown> | null
}

/** Where http/audit-requests.ts sends its records: audit/audit.service.ts's AuditLog in the server, an array in a test. */
export interface AuditSink {
  record(r: AuditRecord): void
  /** Writes one record now; resolves when it is stored (a refusal, or a change made outside a transaction). */
  write(r: AuditRecord): Promise<void>
  /** Writes what is buffered; resolves when it is stored. */
  flush(): Promise<void>
}
