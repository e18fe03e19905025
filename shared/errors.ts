/** The error codes of API.md, with their HTTP status: one definition for the server and the web app. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  SELF_APPROVAL: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  HTTPS_REQUIRED: 403,
  NOT_FOUND: 404,
  DUPLICATE: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  INVALID_STATE: 409,
  ALREADY_REVERSED: 409,
  LEDGER_MISMATCH: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INSUFFICIENT_POINTS: 422,
  OUT_OF_STOCK: 422,
  RULE_LIMIT_EXCEEDED: 422,
  CARD_INVALID: 422,
  CARD_REVOKED: 422,
  INVALID_ROWS: 422,
  WRONG_PIN: 422,
  PIN_LOCKED: 422,
  REDEMPTION_SUSPENDED: 422,
  CARD_REQUIRED: 422,
  TOO_MANY_ATTEMPTS: 429,
  INTERNAL: 500,
  /** The database is unreachable or restarting: nothing was changed, try again shortly. */
  SERVICE_UNAVAILABLE: 503,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown }
}
