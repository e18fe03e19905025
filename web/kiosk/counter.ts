import type { Household } from '../../shared/types/households.js'
import type { Product, Redemption } from '../../shared/types/supermarket.js'
import type { RedemptionBody } from '../api/supermarket.js'
import type { MessageKey } from '../i18n/zh-CN.js'
import { addToCart, type Cart, type CartLine, cartLines, cartTotal, productForCode, type Shortage, shortage } from './cart.js'

/*
 * The counter as a state machine: what the cashier and the villager can do at each moment, and what the counter
 * then asks of the world (a request, a sentence spoken aloud). Pure: no Solid, no DOM, no fetch. KioskPage holds
 * the state, runs the effects and feeds their answers back in as events.
 *
 *   scan ──card / search──▶ household ──goods──▶ cart ──confirm──▶ (pin ──PIN──▶) checkout ──▶ receipt ──next──▶ scan
 *                                                   ▲                                │
 *                                                   └──── a definite refusal ◀──────┤
 *                                                          no answer: unknown ──retry (same key)──▶ checkout
 *
 * A checkout's idempotency key is made when the cashier confirms and is sent again, with the very same body, on
 * every retry until the server answers: if the first attempt did go through and only its answer was lost, the
 * retry gets that first answer back and nothing is charged twice. A definite refusal (wrong PIN, not enough
 * points) ends the attempt: the next confirm is a new checkout with a new key.
 */

export type Stage = 'scan' | 'household' | 'cart' | 'pin' | 'checkout' | 'unknown' | 'receipt'

/** The villager at the counter: who they are, and the card they showed (none when found by search). */
export interface Villager {
  household: Household
  cardCode: string | null
}

/** A message of the catalogue with its placeholders, translated where it is shown. */
export interface Msg {
  key: MessageKey
  params?: Record<string, string | number>
}

/** A short note over the counter; `seq` tells the view which one to let fade (the view drops its timer on every change). */
export interface Flash {
  seq: number
  kind: 'ok' | 'error'
  message?: Msg
  /** An error whose own message follows `message` (or stands alone). */
  error?: unknown
}

/** One checkout on its way: the same key and body on every try. */
export interface PendingCheckout {
  key: string
  body: RedemptionBody
  tries: number
}

export interface CounterState {
  stage: Stage
  /** The goods on sale (active ones), as last loaded. */
  products: Product[]
  villager: Villager | null
  cart: Cart
  /** A scanned code is being resolved. */
  resolving: boolean
  checkout: PendingCheckout | null
  /** The PIN pad: open while asking, and over the checkout it started until the answer comes. */
  pin: { attempt: number; error?: unknown } | null
  /** The last refusal, or the error of a checkout whose outcome is unknown. */
  error: unknown
  receipt: Redemption | null
  flash: Flash | null
}

export type CounterEvent =
  | { type: 'productsLoaded'; products: Product[] }
  /** A code from the scanner or the camera: a product when a household is shopping, else a card. */
  | { type: 'scanned'; code: string }
  | { type: 'cardResolved'; code: string; household: Household }
  | { type: 'cardRefused'; code: string; error: unknown }
  /** Found by search, without a card. */
  | { type: 'householdPicked'; household: Household }
  /** The household's details (PIN flag, suspension) or its balance after a refusal. */
  | { type: 'householdLoaded'; household: Household }
  | { type: 'productTapped'; product: Product }
  | { type: 'quantityChanged'; productId: string; delta: number }
  /** Confirm; `key` is the idempotency key the checkout will use if it starts now. */
  | { type: 'confirm'; key: string }
  | { type: 'pinEntered'; pin: string; key: string }
  | { type: 'pinCancelled' }
  | { type: 'redeemed'; key: string; redemption: Redemption }
  | { type: 'redeemFailed'; key: string; error: unknown }
  | { type: 'retry' }
  /** Next villager; `confirmed` once the cashier agreed to leave a checkout whose outcome is unknown. */
  | { type: 'next'; confirmed?: boolean }
  | { type: 'printFailed'; error: unknown }
  | { type: 'flashExpired'; seq: number }

export type CounterEffect =
  | { type: 'resolveCard'; code: string }
  | { type: 'loadHousehold'; householdId: string }
  | { type: 'redeem'; key: string; body: RedemptionBody }
  | { type: 'refreshProducts' }
  | { type: 'speak'; message: Msg }
  /** Ask the cashier whether to leave a checkout whose outcome is unknown; yes sends `next` with `confirmed`. */
  | { type: 'confirmAbandon' }

export interface Step {
  state: CounterState
  effects: CounterEffect[]
}

export const initialCounter = (products: Product[] = []): CounterState => ({
  stage: 'scan',
  products,
  villager: null,
  cart: {},
  resolving: false,
  checkout: null,
  pin: null,
  error: null,
  receipt: null,
  flash: null,
})

// ---- reading an error without importing the client (ApiError carries `code` and `isNetwork`) ----------------

export const errorCode = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : ''

/** No answer came: the sale may or may not have been made, so only a retry with the same key is safe. */
export const outcomeUnknown = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { isNetwork?: unknown }).isNetwork === true

/** Card refusals the counter says in their own words; anything else is said as "code not recognised". */
const CARD_REFUSALS = ['CARD_INVALID', 'CARD_REVOKED', 'FORBIDDEN']

// ---- what the view reads ------------------------------------------------------------------------------------

export const linesOf = (s: CounterState): CartLine[] => cartLines(s.cart, s.products)
export const totalOf = (s: CounterState): number => cartTotal(linesOf(s))
export const balanceOf = (s: CounterState): number => s.villager?.household.balance ?? 0
export const shortOf = (s: CounterState): Shortage => shortage(linesOf(s), balanceOf(s))

/** A checkout is on its way or its outcome is unknown: nothing else happens at the counter until it ends. */
export const busy = (s: CounterState): boolean => s.stage === 'checkout' || s.stage === 'unknown'

/** The goods can be changed: a household is shopping and no checkout is on its way. */
const shopping = (s: CounterState): boolean => s.stage === 'household' || s.stage === 'cart' || s.stage === 'pin'

export function canConfirm(s: CounterState): boolean {
  const short = shortOf(s)
  return (
    shopping(s) &&
    linesOf(s).length > 0 &&
    short.points === 0 &&
    short.stock.length === 0 &&
    !s.villager?.household.suspendedUntil
  )
}

// ---- transitions --------------------------------------------------------------------------------------------

const same = (state: CounterState): Step => ({ state, effects: [] })

/** 'cart' when there are goods in it, else 'household' (a stage of shopping, from the cart's contents). */
const shoppingStage = (cart: Cart): Stage => (Object.keys(cart).length ? 'cart' : 'household')

function flash(s: CounterState, kind: Flash['kind'], content: { message?: Msg; error?: unknown }): Flash {
  return { seq: (s.flash?.seq ?? 0) + 1, kind, ...content }
}

/** A new villager at the counter: everything of the previous one goes (cart, result, errors, PIN). */
function welcome(s: CounterState, household: Household, cardCode: string | null): Step {
  return {
    state: { ...initialCounter(s.products), stage: 'household', villager: { household, cardCode } },
    effects: [
      { type: 'speak', message: { key: 'kiosk.speech.balance', params: { name: household.headName, n: household.balance } } },
      // The scan answers with name and balance at once; the PIN flag and any suspension come with the details.
      { type: 'loadHousehold', householdId: household.id },
    ],
  }
}

function addProduct(s: CounterState, p: Product): Step {
  if (!shopping(s)) return same(s)
  if ((s.cart[p.id] ?? 0) >= p.stock) {
    return same({ ...s, flash: flash(s, 'error', { message: { key: 'kiosk.shortStock', params: { name: p.name, n: p.stock } } }) })
  }
  const cart = addToCart(s.cart, p.id)
  return same({
    ...s,
    cart,
    stage: s.stage === 'pin' ? 'pin' : shoppingStage(cart),
    flash: flash(s, 'ok', { message: { key: 'kiosk.productAdded', params: { name: p.name } } }),
  })
}

function startCheckout(s: CounterState, key: string, pin?: string): Step {
  const v = s.villager!
  const items = linesOf(s).map((l) => ({ productId: l.product.id, quantity: l.quantity }))
  const body: RedemptionBody = { ...(v.cardCode ? { cardCode: v.cardCode } : { householdId: v.household.id }), items, ...(pin ? { pin } : {}) }
  const checkout = { key, body, tries: 1 }
  return { state: { ...s, stage: 'checkout', checkout, error: null }, effects: [{ type: 'redeem', key, body }] }
}

function refused(s: CounterState, error: unknown): Step {
  // A definite refusal: nothing was charged, and the next confirm is a new checkout with a new key.
  const base = { ...s, checkout: null, stage: shoppingStage(s.cart) }
  const code = errorCode(error)
  if (code === 'WRONG_PIN') return same({ ...base, stage: 'pin', pin: { attempt: (s.pin?.attempt ?? 0) + 1, error } })
  const effects: CounterEffect[] = []
  if ((code === 'INSUFFICIENT_POINTS' || code === 'OUT_OF_STOCK') && s.villager) {
    effects.push({ type: 'refreshProducts' }, { type: 'loadHousehold', householdId: s.villager.household.id })
  }
  return { state: { ...base, pin: null, error }, effects }
}

export function step(s: CounterState, e: CounterEvent): Step {
  switch (e.type) {
    case 'productsLoaded':
      return same({ ...s, products: e.products.filter((p) => p.active !== false) })

    case 'scanned': {
      if (busy(s)) return same({ ...s, flash: flash(s, 'error', { message: { key: 'kiosk.finishFirst' } }) })
      const product = s.villager && s.stage !== 'receipt' ? productForCode(s.products, e.code) : undefined
      if (product) return addProduct(s, product)
      return { state: { ...s, resolving: true }, effects: [{ type: 'resolveCard', code: e.code }] }
    }

    case 'cardResolved':
      if (busy(s)) return same({ ...s, resolving: false })
      return welcome(s, e.household, e.code)

    case 'cardRefused': {
      const known = CARD_REFUSALS.includes(errorCode(e.error))
      const message: Msg | undefined = known ? undefined : { key: 'kiosk.unknownCode', params: { code: e.code.slice(0, 24) } }
      return same({ ...s, resolving: false, flash: flash(s, 'error', { message, error: e.error }) })
    }

    case 'householdPicked':
      if (busy(s)) return same(s)
      return welcome(s, e.household, null)

    case 'householdLoaded': {
      const v = s.villager
      if (v?.household.id !== e.household.id) return same(s)
      return same({ ...s, villager: { ...v, household: { ...v.household, ...e.household } } })
    }

    case 'productTapped':
      return addProduct(s, e.product)

    case 'quantityChanged': {
      if (!shopping(s)) return same(s)
      const cart = addToCart(s.cart, e.productId, e.delta)
      return same({ ...s, cart, stage: s.stage === 'pin' ? 'pin' : shoppingStage(cart) })
    }

    case 'confirm':
      if (!canConfirm(s)) return same(s)
      if (s.villager!.household.hasPin) return same({ ...s, stage: 'pin', pin: { attempt: 1 } })
      return startCheckout(s, e.key)

    case 'pinEntered':
      if (s.stage !== 'pin') return same(s)
      return startCheckout(s, e.key, e.pin)

    case 'pinCancelled':
      return same({ ...s, pin: null, stage: s.stage === 'pin' ? shoppingStage(s.cart) : s.stage })

    case 'redeemed': {
      if (s.checkout?.key !== e.key) return same(s)
      const r = e.redemption
      const v = s.villager
      return {
        state: {
          ...s,
          stage: 'receipt',
          checkout: null,
          pin: null,
          error: null,
          flash: null,
          receipt: r,
          villager: v && { ...v, household: { ...v.household, balance: r.balanceAfter } },
        },
        effects: [{ type: 'speak', message: { key: 'kiosk.speech.after', params: { n: r.balanceAfter } } }, { type: 'refreshProducts' }],
      }
    }

    case 'redeemFailed':
      if (s.checkout?.key !== e.key) return same(s)
      if (outcomeUnknown(e.error)) return same({ ...s, stage: 'unknown', error: e.error })
      return refused(s, e.error)

    case 'retry': {
      if (s.stage !== 'unknown' || !s.checkout) return same(s)
      const checkout = { ...s.checkout, tries: s.checkout.tries + 1 }
      return { state: { ...s, stage: 'checkout', checkout, error: null }, effects: [{ type: 'redeem', key: checkout.key, body: checkout.body }] }
    }

    case 'next':
      if (s.stage === 'checkout') return same(s)
      if (s.stage === 'unknown' && !e.confirmed) return { state: s, effects: [{ type: 'confirmAbandon' }] }
      return same(initialCounter(s.products))

    case 'printFailed':
      return same({ ...s, flash: flash(s, 'error', { error: e.error }) })

    case 'flashExpired':
      return same(s.flash?.seq === e.seq ? { ...s, flash: null } : s)
  }
}
