import type { Redemption } from '../../shared/types/supermarket'
import { ApiError, api } from '../api'
import { newIdempotencyKey } from './idempotency'

export interface CheckoutBody {
  cardCode?: string
  householdId?: string
  items: { productId: string; quantity: number }[]
  pin?: string
}

/**
 * One checkout at the counter. Its key is made when the cashier confirms and is sent again, with the very same
 * body, on every retry until the server answers: if the first attempt did go through and only its answer was
 * lost, the retry gets that first answer back and nothing is charged twice.
 * A definite refusal (wrong PIN, not enough points) ends the attempt: the next confirm is a new checkout.
 */
export class Checkout {
  readonly key = newIdempotencyKey()
  private attempts = 0

  constructor(
    private readonly villageId: string,
    readonly body: CheckoutBody,
  ) {}

  get tries() {
    return this.attempts
  }

  async send(): Promise<Redemption> {
    this.attempts++
    return api.post<Redemption>(`/api/villages/${this.villageId}/redemptions`, this.body, {
      headers: { 'idempotency-key': this.key },
    })
  }
}

/** No answer came: the sale may or may not have been made, so only a retry with the same key is safe. */
export const outcomeUnknown = (e: unknown) => e instanceof ApiError && e.isNetwork
