import type { Redemption } from '../../shared/types/supermarket'
import { ApiError } from '../api/client'
import { type RedemptionBody, redemptions } from '../api/supermarket'
import { newIdempotencyKey } from './idempotency'

export type CheckoutBody = RedemptionBody

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
    return redemptions.redeem(this.villageId, this.body, this.key)
  }
}

/** No answer came: the sale may or may not have been made, so only a retry with the same key is safe. */
export const outcomeUnknown = (e: unknown) => e instanceof ApiError && e.isNetwork
