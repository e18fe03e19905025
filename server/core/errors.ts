import { ERROR_STATUS, type ErrorCode } from '../../shared/errors.js'

/** A refusal the village would understand. Services throw it; one handler (http/error-handler.ts) maps it. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'DomainError'
  }
  get status() {
    return ERROR_STATUS[this.code]
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`)
export const forbidden = (message = 'not allowed') => new DomainError('FORBIDDEN', message)
export const invalidState = (message: string) => new DomainError('INVALID_STATE', message)
export const duplicate = (message: string) => new DomainError('DUPLICATE', message)
