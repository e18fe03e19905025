import type { Household } from '../../shared/types/households.js'
import type { Product, Redemption } from '../../shared/types/supermarket.js'
import type { RedemptionBody } from '../api/supermarket.js'
import type { MessageKey } from '../i18n/zh-CN.js'
import {
  addToCart,
  type Cart,
  type CartLine,
  cartLines,
  cartTotal,
  productForCode,
  type Shortage,
  shortage,
} from './cart.js'

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
 *
 * Without the network (a card's resolve gets no answer) the counter goes on from the tablet's snapshot: the
 * card is recognised there (effect recogniseOffline), the household may spend its offline allowance (shown as
 * its balance at the counter), and confirm keeps the sale on the tablet (effect queueOfflineSale) before the
 * receipt says 离线 with a local number. The view's sync loop reports back (event connection) whether the
 * server answers and how many sales still wait.
 */

export type Stage = 'scan' | 'household' | 'cart' | 'pin' | 'checkout' | 'unknown' | 'receipt'

/** The villager at the counter: who they are, and the card they showed (none when found by search). */
export interface Villager {
  household: Household
  cardCode: string | null
  /** Served without the network, from the snapshot: what the household may still spend offline. */
  offline?: { allowance: number }
}

/** A sale kept on the tablet until the server confirms it: the receipt shows its local number and 离线. */
export interface OfflineReceipt {
  localNo: string
  pointsSpent: number
  balanceAfter: number
}

/** A sale to keep on the tablet (IndexedDB), with its own idempotency key for the sync. */
export interface OfflineSaleRequest {
  key: string
  householdId: string
  cardCode: string
  items: { productId: string; quantity: number }[]
  points: number
  pin?: string
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
  /** The PIN pad: open while asking, and over the checkout it started until the answer comes; `message` says how many tries are left. */
  pin: { attempt: number; error?: unknown; message?: Msg } | null
  /** Too many wrong PINs: the household cannot redeem until then (ISO time); confirm stays off. */
  pinLockedUntil: string | null
  /** The card of the villager just served, ignored until `until` (a camera reads it again as they leave). */
  recentCard: { code: string; until: number } | null
  /** The last refusal, or the error of a checkout whose outcome is unknown. */
  error: unknown
  receipt: Redemption | null
  /** The receipt of a sale made offline (kept on the tablet). */
  offlineReceipt: OfflineReceipt | null
  /** The server did not answer last time: the counter works from the snapshot. */
  offline: boolean
  /** Sales made offline that wait on this tablet for the server. */
  waiting: number
  flash: Flash | null
}

export type CounterEvent =
  | { type: 'productsLoaded'; products: Product[] }
  /** A code from the scanner or the camera: a product when a household is shopping, else a card. */
  | { type: 'scanned'; code: string; at?: number }
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
  | { type: 'next'; confirmed?: boolean; at?: number }
  | { type: 'printFailed'; error: unknown }
  | { type: 'flashExpired'; seq: number }
  /** Keys came in a burst ending in Enter, too slowly for a scan and too long for a person. */
  | { type: 'scanTooSlow' }
  /** The sync loop's report: whether the server answered, and how many offline sales still wait. */
  | { type: 'connection'; online: boolean; waiting?: number }
  /** No network: the snapshot knows this active card. */
  | { type: 'cardRecognisedOffline'; code: string; household: Household; allowance: number }
  /** No network and the snapshot does not know the card (unknown, revoked, or no snapshot yet). */
  | { type: 'cardUnknownOffline'; code: string }
  /** The offline sale is committed on the tablet. */
  | { type: 'offlineSaleQueued'; key: string; localNo: string; waiting: number }
  | { type: 'offlineSaleFailed'; key: string; error: unknown }

export type CounterEffect =
  | { type: 'resolveCard'; code: string }
  | { type: 'loadHousehold'; householdId: string }
  | { type: 'redeem'; key: string; body: RedemptionBody }
  | { type: 'refreshProducts' }
  | { type: 'speak'; message: Msg }
  /** Ask the cashier whether to leave a checkout whose outcome is unknown; yes sends `next` with `confirmed`. */
  | { type: 'confirmAbandon' }
  /** Recognise a card by the snapshot (the network is down). */
  | { type: 'recogniseOffline'; code: string }
  /** Keep a sale on the tablet; answers offlineSaleQueued or offlineSaleFailed. */
  | { type: 'queueOfflineSale'; sale: OfflineSaleRequest }

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
  pinLockedUntil: null,
  error: null,
  receipt: null,
  offlineReceipt: null,
  offline: false,
  waiting: 0,
  flash: null,
  recentCard: null,
})

/** How long the card of the villager just served is ignored after 下一位. */
export const SAME_CARD_PAUSE_MS = 5000
/** The counter for the next villager: the goods and the connection's state stay. */
const fresh = (s: CounterState): CounterState => ({
  ...initialCounter(s.products),
  offline: s.offline,
  waiting: s.waiting,
})

// ---- reading an error without importing the client (ApiError carries `code` and `isNetwork`) ----------------

export const errorCode = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
    ? (e as { code: string }).code
    : ''

/** No answer came: the sale may or may not have been made, so only a retry with the same key is safe. */
export const outcomeUnknown = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { isNetwork?: unknown }).isNetwork === true

/** Card refusals the counter says in their own words; anything else is said as "code not recognised". */
const CARD_REFUSALS = ['CARD_INVALID', 'CARD_REVOKED', 'FORBIDDEN']

/** The details an ApiError carries (the server's `error.details`). */
const detailsOf = (e: unknown): Record<string, unknown> => {
  const d = typeof e === 'object' && e !== null ? (e as { details?: unknown }).details : undefined
  return typeof d === 'object' && d !== null ? (d as Record<string, unknown>) : {}
}

/** "18:40" (or "11月30日 08:05" when not today) in the counter's local time. */
export function clockTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`
  return d.toDateString() === now.toDateString() ? hm : `${d.getMonth() + 1}月${d.getDate()}日 ${hm}`
}

/** The household's PIN is locked (too many wrong PINs) at `now`. */
export const pinLocked = (s: CounterState, now: number = Date.now()): boolean =>
  s.pinLockedUntil !== null && new Date(s.pinLockedUntil).getTime() > now

// ---- what the view reads ------------------------------------------------------------------------------------

export const linesOf = (s: CounterState): CartLine[] => cartLines(s.cart, s.products)
export const totalOf = (s: CounterState): number => cartTotal(linesOf(s))
/** What the villager may spend now: the balance, or offline the allowance left. */
export const balanceOf = (s: CounterState): number =>
  s.villager?.offline?.allowance ?? s.villager?.household.balance ?? 0
export const shortOf = (s: CounterState): Shortage => shortage(linesOf(s), balanceOf(s))

/** A checkout is on its way or its outcome is unknown: nothing else happens at the counter until it ends. */
export const busy = (s: CounterState): boolean => s.stage === 'checkout' || s.stage === 'unknown'

/** The goods can be changed: a household is shopping and no checkout is on its way. */
const shopping = (s: CounterState): boolean => s.stage === 'household' || s.stage === 'cart' || s.stage === 'pin'

/**
 * Found by search (no card) and the household has no PIN: it must show its card (issue 13; the server answers
 * 422 CARD_REQUIRED). The kiosk says so at once instead of letting the cashier fill a cart for nothing.
 */
export const cardRequired = (s: CounterState): boolean =>
  s.villager !== null && !s.villager.cardCode && !s.villager.household.hasPin

export function canConfirm(s: CounterState): boolean {
  const short = shortOf(s)
  return (
    shopping(s) &&
    !cardRequired(s) &&
    linesOf(s).length > 0 &&
    short.points === 0 &&
    short.stock.length === 0 &&
    !s.villager?.household.suspendedUntil &&
    !pinLocked(s)
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
    state: { ...fresh(s), stage: 'household', villager: { household, cardCode } },
    effects: [
      {
        type: 'speak',
        message: { key: 'kiosk.speech.balance', params: { name: household.headName, n: household.balance } },
      },
      // The scan answers with name and balance at once; the PIN flag and any suspension come with the details.
      { type: 'loadHousehold', householdId: household.id },
    ],
  }
}

/** Why a suspended household cannot redeem: the end date and the reason. */
export function suspensionOf(h: Household): Msg | null {
  if (!h.suspendedUntil) return null
  const until = h.suspendedUntil.slice(0, 10)
  return h.suspendedReason
    ? { key: 'kiosk.suspendedWhy', params: { until, reason: h.suspendedReason } }
    : { key: 'kiosk.suspendedNoReason', params: { until } }
}

function addProduct(s: CounterState, p: Product): Step {
  if (!shopping(s)) return same(s)
  const suspended = s.villager && suspensionOf(s.villager.household)
  if (suspended) return same({ ...s, flash: flash(s, 'error', { message: suspended }) })
  if ((s.cart[p.id] ?? 0) >= p.stock) {
    return same({
      ...s,
      flash: flash(s, 'error', { message: { key: 'kiosk.shortStock', params: { name: p.name, n: p.stock } } }),
    })
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
  if (v.offline && v.cardCode) {
    const sale: OfflineSaleRequest = {
      key,
      householdId: v.household.id,
      cardCode: v.cardCode,
      items,
      points: totalOf(s),
      ...(pin ? { pin } : {}),
    }
    return {
      state: {
        ...s,
        stage: 'checkout',
        checkout: { key, body: { cardCode: v.cardCode, items }, tries: 1 },
        error: null,
      },
      effects: [{ type: 'queueOfflineSale', sale }],
    }
  }
  const body: RedemptionBody = {
    ...(v.cardCode ? { cardCode: v.cardCode } : { householdId: v.household.id }),
    items,
    ...(pin ? { pin } : {}),
  }
  const checkout = { key, body, tries: 1 }
  return { state: { ...s, stage: 'checkout', checkout, error: null }, effects: [{ type: 'redeem', key, body }] }
}

function refused(s: CounterState, error: unknown): Step {
  // A definite refusal: nothing was charged, and the next confirm is a new checkout with a new key.
  const base = { ...s, checkout: null, stage: shoppingStage(s.cart) }
  const code = errorCode(error)
  const details = detailsOf(error)
  if ((code === 'WRONG_PIN' || code === 'PIN_LOCKED') && typeof details.lockedUntil === 'string') {
    // The last try used up the attempts (or the household was locked already): no pad, no "try again".
    return same({ ...base, pin: null, error: null, pinLockedUntil: details.lockedUntil })
  }
  if (code === 'WRONG_PIN') {
    const left = details.attemptsLeft
    const message: Msg | undefined =
      typeof left === 'number' ? { key: 'kiosk.pinAttemptsLeft', params: { n: left } } : undefined
    return same({
      ...base,
      stage: 'pin',
      pin: { attempt: (s.pin?.attempt ?? 0) + 1, error, ...(message ? { message } : {}) },
    })
  }
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
      const at = e.at ?? Date.now()
      if (!s.villager && s.recentCard?.code === e.code && at < s.recentCard.until) return same(s)
      const product = s.villager && s.stage !== 'receipt' ? productForCode(s.products, e.code) : undefined
      if (product) return addProduct(s, product)
      return { state: { ...s, resolving: true }, effects: [{ type: 'resolveCard', code: e.code }] }
    }

    case 'cardResolved':
      if (busy(s)) return same({ ...s, resolving: false })
      return welcome(s, e.household, e.code)

    case 'cardRefused': {
      // No answer: the network is down; the snapshot may know the card.
      if (outcomeUnknown(e.error))
        return { state: { ...s, offline: true }, effects: [{ type: 'recogniseOffline', code: e.code }] }
      const known = CARD_REFUSALS.includes(errorCode(e.error))
      const message: Msg | undefined = known
        ? undefined
        : { key: 'kiosk.unknownCode', params: { code: e.code.slice(0, 24) } }
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
      // Without the card the PIN is always asked (canConfirm has made sure the household has one).
      if (s.villager!.household.hasPin || !s.villager!.cardCode)
        return same({ ...s, stage: 'pin', pin: { attempt: 1 } })
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
        effects: [
          { type: 'speak', message: { key: 'kiosk.speech.after', params: { n: r.balanceAfter } } },
          { type: 'refreshProducts' },
        ],
      }
    }

    case 'redeemFailed':
      if (s.checkout?.key !== e.key) return same(s)
      if (outcomeUnknown(e.error)) return same({ ...s, stage: 'unknown', error: e.error })
      return refused(s, e.error)

    case 'retry': {
      if (s.stage !== 'unknown' || !s.checkout) return same(s)
      const checkout = { ...s.checkout, tries: s.checkout.tries + 1 }
      return {
        state: { ...s, stage: 'checkout', checkout, error: null },
        effects: [{ type: 'redeem', key: checkout.key, body: checkout.body }],
      }
    }

    case 'next':
      if (s.stage === 'checkout') return same(s)
      if (s.stage === 'unknown' && !e.confirmed) return { state: s, effects: [{ type: 'confirmAbandon' }] }
      {
        const code = s.villager?.cardCode
        const recentCard = code ? { code, until: (e.at ?? Date.now()) + SAME_CARD_PAUSE_MS } : null
        return same({ ...fresh(s), recentCard })
      }

    case 'printFailed':
      return same({ ...s, flash: flash(s, 'error', { error: e.error }) })

    case 'flashExpired':
      return same(s.flash?.seq === e.seq ? { ...s, flash: null } : s)

    case 'scanTooSlow':
      return same({ ...s, flash: flash(s, 'error', { message: { key: 'kiosk.scanTooSlow' } }) })
    case 'connection': {
      const next = { ...s, offline: !e.online, waiting: e.waiting ?? s.waiting }
      // Back online with nobody at the counter: the server's goods and stock again.
      const effects: CounterEffect[] = s.offline && e.online && !s.villager ? [{ type: 'refreshProducts' }] : []
      return { state: next, effects }
    }

    case 'cardRecognisedOffline': {
      if (busy(s)) return same({ ...s, resolving: false })
      const h = e.household
      return {
        state: {
          ...fresh(s),
          offline: true,
          stage: 'household',
          villager: { household: h, cardCode: e.code, offline: { allowance: e.allowance } },
        },
        effects: [
          { type: 'speak', message: { key: 'kiosk.speech.balance', params: { name: h.headName, n: h.balance } } },
          // The snapshot's goods, less what this tablet sold since.
          { type: 'refreshProducts' },
        ],
      }
    }

    case 'cardUnknownOffline':
      return same({
        ...s,
        resolving: false,
        offline: true,
        flash: flash(s, 'error', { message: { key: 'kiosk.offline.unknownCard' } }),
      })

    case 'offlineSaleQueued': {
      if (s.checkout?.key !== e.key || !s.villager) return same(s)
      const v = s.villager
      const points = totalOf(s)
      const balanceAfter = v.household.balance - points
      return {
        state: {
          ...s,
          stage: 'receipt',
          checkout: null,
          pin: null,
          error: null,
          flash: null,
          waiting: e.waiting,
          offlineReceipt: { localNo: e.localNo, pointsSpent: points, balanceAfter },
          villager: {
            ...v,
            household: { ...v.household, balance: balanceAfter },
            offline: { allowance: Math.max(0, (v.offline?.allowance ?? 0) - points) },
          },
        },
        effects: [
          { type: 'speak', message: { key: 'kiosk.speech.after', params: { n: balanceAfter } } },
          { type: 'refreshProducts' },
        ],
      }
    }

    case 'offlineSaleFailed':
      if (s.checkout?.key !== e.key) return same(s)
      return same({ ...s, checkout: null, pin: null, stage: shoppingStage(s.cart), error: e.error })
  }
}
