import { describe, expect, it } from 'vitest'
import type { Household } from '../../shared/types/households.js'
import type { Product, Redemption } from '../../shared/types/supermarket.js'
import {
  balanceOf,
  busy,
  canConfirm,
  cardRequired,
  type CounterEffect,
  type CounterEvent,
  type CounterState,
  initialCounter,
  linesOf,
  shortOf,
  step,
} from './counter.js'

/*
 * The counter's state machine, event by event, in Node: no browser, no server. The errors are shaped as the
 * client's ApiError is (code, and isNetwork when no answer came).
 */

const product = (id: string, pointsPrice: number, stock: number, extra: Partial<Product> = {}): Product => ({
  id,
  sku: id.toUpperCase(),
  name: id,
  pointsPrice,
  stock,
  unit: null,
  category: null,
  barcode: null,
  lowStockThreshold: 0,
  active: true,
  createdAt: '',
  ...extra,
})

const household = (extra: Partial<Household> = {}): Household => ({
  id: 'h1',
  villageId: 'v1',
  householdNo: '001',
  headName: '张桂兰',
  phone: null,
  address: null,
  hasPin: false,
  balance: 50,
  honour: 50,
  suspendedUntil: null,
  suspendedReason: null,
  createdAt: '',
  tags: [],
  ...extra,
})

const redemption = (balanceAfter: number, pointsSpent: number): Redemption => ({
  id: 'r1',
  receiptNo: 'R1',
  householdId: 'h1',
  householdNo: '001',
  cardId: null,
  pointsSpent,
  balanceAfter,
  items: [],
  at: '',
  cashierId: 'u1',
  ledgerEntryId: 'e1',
  voided: false,
  voidedAt: null,
  voidedBy: null,
  voidReason: null,
  voidEntryId: null,
})

const apiError = (code: string, status = 422) => ({
  code,
  status,
  isNetwork: code === 'NETWORK' || status >= 500,
  message: code,
})

const RICE = product('rice', 30, 20, { barcode: '6901234567892' })
const SOAP = product('soap', 4, 2)
const CARD = 'eyJjIjoiMG13dzRlb2NtMDAwNjY4MjlpcTgifQ.sig'

/** Runs events in order; answers the last state and every effect asked for on the way. */
function run(events: CounterEvent[], from: CounterState = initialCounter([RICE, SOAP])) {
  let state = from
  const effects: CounterEffect[] = []
  for (const e of events) {
    const r = step(state, e)
    state = r.state
    effects.push(...r.effects)
  }
  return { state, effects }
}

/** A card scanned and resolved for this household. */
const scanned = (h: Household = household()): CounterEvent[] => [
  { type: 'scanned', code: CARD },
  { type: 'cardResolved', code: CARD, household: h },
]

describe('scan → household → cart', () => {
  it('starts on the scan screen, resolves a card, greets the household aloud and loads its details', () => {
    expect(initialCounter().stage).toBe('scan')
    const first = step(initialCounter([RICE]), { type: 'scanned', code: CARD })
    expect(first.state.resolving).toBe(true)
    expect(first.effects).toEqual([{ type: 'resolveCard', code: CARD }])

    const { state, effects } = run([{ type: 'cardResolved', code: CARD, household: household() }], first.state)
    expect(state.stage).toBe('household')
    expect(state.resolving).toBe(false)
    expect(state.villager).toEqual({ household: household(), cardCode: CARD })
    expect(effects).toEqual([
      { type: 'speak', message: { key: 'kiosk.speech.balance', params: { name: '张桂兰', n: 50 } } },
      { type: 'loadHousehold', householdId: 'h1' },
    ])
  })

  it('merges the details of the same household only', () => {
    const { state } = run([
      ...scanned(),
      { type: 'householdLoaded', household: household({ hasPin: true }) },
      { type: 'householdLoaded', household: household({ id: 'h2', headName: '李建国' }) },
    ])
    expect(state.villager?.household.hasPin).toBe(true)
    expect(state.villager?.household.headName).toBe('张桂兰')
  })

  it('a household found by search has no card: it must give its PIN, and the checkout names the household', () => {
    const { state, effects } = run([
      { type: 'householdPicked', household: household({ hasPin: true }) },
      { type: 'productTapped', product: SOAP },
      { type: 'confirm', key: 'k1' },
    ])
    expect(state.stage).toBe('pin')
    const paid = run([{ type: 'pinEntered', pin: '2468', key: 'k1' }], state)
    expect(paid.effects.at(-1)).toEqual({
      type: 'redeem',
      key: 'k1',
      body: { householdId: 'h1', items: [{ productId: 'soap', quantity: 1 }], pin: '2468' },
    })
    expect(paid.state.stage).toBe('checkout')
    expect(effects.some((e) => e.type === 'redeem')).toBe(false)
  })

  it('found by search with no PIN: the card is required — confirm stays off and nothing is sent (issue 13)', () => {
    const { state, effects } = run([
      { type: 'householdPicked', household: household({ hasPin: false }) },
      { type: 'productTapped', product: SOAP },
      { type: 'confirm', key: 'k1' },
    ])
    expect(cardRequired(state)).toBe(true)
    expect(canConfirm(state)).toBe(false)
    expect(state.stage).toBe('cart')
    expect(effects.some((e) => e.type === 'redeem')).toBe(false)
    // The same household with its card scanned is served without a PIN.
    expect(cardRequired(run(scanned()).state)).toBe(false)
  })

  it('adds goods by tile and by a scanned barcode or SKU; cart while there are goods, household when emptied', () => {
    const { state } = run([
      ...scanned(),
      { type: 'productTapped', product: SOAP },
      { type: 'scanned', code: '6901234567892' },
      { type: 'scanned', code: 'SOAP' },
    ])
    expect(state.stage).toBe('cart')
    expect(state.cart).toEqual({ soap: 2, rice: 1 })
    expect(state.flash).toMatchObject({ kind: 'ok', message: { key: 'kiosk.productAdded', params: { name: 'soap' } } })
    expect(linesOf(state).map((l) => l.points)).toEqual([8, 30])
    const emptied = run(
      [
        { type: 'quantityChanged', productId: 'soap', delta: -2 },
        { type: 'quantityChanged', productId: 'rice', delta: -1 },
      ],
      state,
    ).state
    expect(emptied.stage).toBe('household')
    expect(emptied.cart).toEqual({})
  })

  it('refuses more than the shelf holds, with the stock in the message', () => {
    const { state } = run([
      ...scanned(),
      { type: 'productTapped', product: SOAP },
      { type: 'productTapped', product: SOAP },
      { type: 'productTapped', product: SOAP },
    ])
    expect(state.cart).toEqual({ soap: 2 })
    expect(state.flash).toMatchObject({
      kind: 'error',
      message: { key: 'kiosk.shortStock', params: { name: 'soap', n: 2 } },
    })
  })

  it('a second card replaces the first household and everything of it', () => {
    const { state } = run([
      ...scanned(),
      { type: 'productTapped', product: SOAP },
      ...scanned(household({ id: 'h2', headName: '李建国', balance: 5 })),
    ])
    expect(state.villager?.household.headName).toBe('李建国')
    expect(state.cart).toEqual({})
    expect(state.flash).toBeNull()
  })

  it('only active goods are on sale', () => {
    const { state } = run([{ type: 'productsLoaded', products: [RICE, product('old', 1, 5, { active: false })] }])
    expect(state.products.map((p) => p.id)).toEqual(['rice'])
  })

  it('fades a note only if it is still the one shown', () => {
    const { state } = run([...scanned(), { type: 'productTapped', product: SOAP }])
    const seq = state.flash!.seq
    expect(run([{ type: 'flashExpired', seq: seq - 1 }], state).state.flash).not.toBeNull()
    expect(run([{ type: 'flashExpired', seq }], state).state.flash).toBeNull()
  })
})

describe('card errors', () => {
  it('says an invalid or revoked card in its own words', () => {
    for (const code of ['CARD_INVALID', 'CARD_REVOKED', 'FORBIDDEN']) {
      const error = apiError(code)
      const { state } = run([
        { type: 'scanned', code: CARD },
        { type: 'cardRefused', code: CARD, error },
      ])
      expect(state.stage).toBe('scan')
      expect(state.resolving).toBe(false)
      expect(state.flash).toMatchObject({ kind: 'error', error })
      expect(state.flash?.message).toBeUndefined()
    }
  })

  it('says any other refusal as a code not recognised, with the reason (no answer at all goes to the snapshot: see offline)', () => {
    const error = apiError('VALIDATION_FAILED', 400)
    const long = 'x'.repeat(40)
    const { state } = run([
      { type: 'scanned', code: long },
      { type: 'cardRefused', code: long, error },
    ])
    expect(state.flash).toMatchObject({
      kind: 'error',
      error,
      message: { key: 'kiosk.unknownCode', params: { code: 'x'.repeat(24) } },
    })
  })
})

describe('confirm → checkout → receipt → next', () => {
  const inCart = () =>
    run([...scanned(), { type: 'productTapped', product: RICE }, { type: 'productTapped', product: SOAP }]).state

  it('sends the cart with the card and a fresh key, then shows the receipt and the new balance', () => {
    const sent = step(inCart(), { type: 'confirm', key: 'k1' })
    expect(sent.state.stage).toBe('checkout')
    expect(busy(sent.state)).toBe(true)
    expect(sent.effects).toEqual([
      {
        type: 'redeem',
        key: 'k1',
        body: {
          cardCode: CARD,
          items: [
            { productId: 'rice', quantity: 1 },
            { productId: 'soap', quantity: 1 },
          ],
        },
      },
    ])

    const done = step(sent.state, { type: 'redeemed', key: 'k1', redemption: redemption(16, 34) })
    expect(done.state.stage).toBe('receipt')
    expect(done.state.receipt?.balanceAfter).toBe(16)
    expect(done.state.villager?.household.balance).toBe(16)
    expect(done.state.checkout).toBeNull()
    expect(done.effects).toEqual([
      { type: 'speak', message: { key: 'kiosk.speech.after', params: { n: 16 } } },
      { type: 'refreshProducts' },
    ])

    // On the receipt a scanned barcode is a card, not more goods; next starts clean, keeping the goods on sale.
    expect(step(done.state, { type: 'scanned', code: 'RICE' }).effects).toEqual([{ type: 'resolveCard', code: 'RICE' }])
    const next = step(done.state, { type: 'next' }).state
    expect(next).toEqual({
      ...initialCounter(done.state.products),
      recentCard: { code: CARD, until: expect.any(Number) },
    })
  })

  it('cannot confirm an empty cart, nor while a checkout is on its way', () => {
    const empty = run(scanned()).state
    expect(canConfirm(empty)).toBe(false)
    expect(step(empty, { type: 'confirm', key: 'k1' }).effects).toEqual([])
    const sending = step(inCart(), { type: 'confirm', key: 'k1' }).state
    expect(step(sending, { type: 'confirm', key: 'k2' }).effects).toEqual([])
    expect(step(sending, { type: 'productTapped', product: SOAP }).state.cart).toEqual(sending.cart)
    expect(step(sending, { type: 'next' }).state).toBe(sending)
  })

  it('says before confirming that the points are short', () => {
    const poor = run([...scanned(household({ balance: 5 })), { type: 'productTapped', product: RICE }]).state
    expect(shortOf(poor)).toEqual({ points: 25, stock: [] })
    expect(canConfirm(poor)).toBe(false)
  })

  it('a suspended household cannot confirm', () => {
    const { state } = run([
      ...scanned(),
      { type: 'householdLoaded', household: household({ suspendedUntil: '2099-01-01' }) },
      { type: 'productTapped', product: SOAP },
    ])
    expect(canConfirm(state)).toBe(false)
    expect(step(state, { type: 'confirm', key: 'k1' }).effects).toEqual([])
  })

  it('a suspension the server finds is a refusal: shown, nothing charged', () => {
    const error = apiError('REDEMPTION_SUSPENDED')
    const { state, effects } = run(
      [
        { type: 'confirm', key: 'k1' },
        { type: 'redeemFailed', key: 'k1', error },
      ],
      inCart(),
    )
    expect(state.stage).toBe('cart')
    expect(state.error).toBe(error)
    expect(state.checkout).toBeNull()
    expect(effects.filter((e) => e.type === 'redeem')).toHaveLength(1)
  })

  it('insufficient points or out of stock: shown, and the goods and the balance are loaded again', () => {
    for (const code of ['INSUFFICIENT_POINTS', 'OUT_OF_STOCK']) {
      const error = apiError(code)
      const { state, effects } = run(
        [
          { type: 'confirm', key: 'k1' },
          { type: 'redeemFailed', key: 'k1', error },
        ],
        inCart(),
      )
      expect(state.stage).toBe('cart')
      expect(state.error).toBe(error)
      expect(effects.slice(1)).toEqual([{ type: 'refreshProducts' }, { type: 'loadHousehold', householdId: 'h1' }])
      // The next confirm is a new checkout with a new key.
      expect(step(state, { type: 'confirm', key: 'k2' }).effects).toEqual([
        expect.objectContaining({ type: 'redeem', key: 'k2' }),
      ])
    }
  })

  it('ignores an answer to a checkout that is no longer the current one', () => {
    const sending = step(inCart(), { type: 'confirm', key: 'k1' }).state
    expect(step(sending, { type: 'redeemed', key: 'old', redemption: redemption(0, 1) }).state).toBe(sending)
    expect(step(sending, { type: 'redeemFailed', key: 'old', error: apiError('NETWORK', 0) }).state).toBe(sending)
  })

  it('a print that fails is said over the receipt', () => {
    const error = apiError('NETWORK', 0)
    expect(step(inCart(), { type: 'printFailed', error }).state.flash).toMatchObject({ kind: 'error', error })
  })
})

describe('no answer: the same key again', () => {
  const lost = () =>
    run([
      ...scanned(),
      { type: 'productTapped', product: SOAP },
      { type: 'confirm', key: 'k1' },
      { type: 'redeemFailed', key: 'k1', error: apiError('NETWORK', 0) },
    ])

  it('the network down leaves the outcome unknown; a retry sends the very same key and body', () => {
    const { state, effects } = lost()
    expect(state.stage).toBe('unknown')
    expect(busy(state)).toBe(true)
    const retried = step(state, { type: 'retry' })
    expect(retried.state.stage).toBe('checkout')
    expect(retried.state.checkout?.tries).toBe(2)
    expect(retried.effects).toEqual([effects.at(-1)])
    expect(retried.effects[0]).toMatchObject({ type: 'redeem', key: 'k1' })
    const done = step(retried.state, { type: 'redeemed', key: 'k1', redemption: redemption(46, 4) })
    expect(done.state.stage).toBe('receipt')
  })

  it('a server error (5xx) is no answer too', () => {
    const { state } = run([
      ...scanned(),
      { type: 'productTapped', product: SOAP },
      { type: 'confirm', key: 'k1' },
      { type: 'redeemFailed', key: 'k1', error: apiError('INTERNAL', 500) },
    ])
    expect(state.stage).toBe('unknown')
  })

  it('nothing else happens until it is known: scans say "finish first", the goods are locked', () => {
    const { state } = lost()
    const scan = step(state, { type: 'scanned', code: CARD })
    expect(scan.effects).toEqual([])
    expect(scan.state.flash).toMatchObject({ kind: 'error', message: { key: 'kiosk.finishFirst' } })
    expect(step(state, { type: 'quantityChanged', productId: 'soap', delta: 1 }).state.cart).toEqual(state.cart)
    expect(step(state, { type: 'householdPicked', household: household({ id: 'h2' }) }).state).toBe(state)
    expect(
      step(state, { type: 'cardResolved', code: CARD, household: household({ id: 'h2' }) }).state.villager?.household
        .id,
    ).toBe('h1')
  })

  it('leaving it asks the cashier first', () => {
    const { state } = lost()
    const asked = step(state, { type: 'next' })
    expect(asked.state).toBe(state)
    expect(asked.effects).toEqual([{ type: 'confirmAbandon' }])
    expect(step(state, { type: 'next', confirmed: true }).state.stage).toBe('scan')
  })
})

describe('the PIN', () => {
  const withPin = () =>
    run([
      ...scanned(household({ hasPin: true })),
      { type: 'productTapped', product: SOAP },
      { type: 'confirm', key: 'unused' },
    ])

  it('a household with a PIN is asked for it first; the checkout carries it', () => {
    const { state, effects } = withPin()
    expect(state.stage).toBe('pin')
    expect(state.pin).toEqual({ attempt: 1 })
    expect(effects.filter((e) => e.type === 'redeem')).toEqual([])
    const sent = step(state, { type: 'pinEntered', pin: '2468', key: 'k1' })
    expect(sent.effects).toEqual([
      { type: 'redeem', key: 'k1', body: { cardCode: CARD, items: [{ productId: 'soap', quantity: 1 }], pin: '2468' } },
    ])
    // The pad stays over the checkout until the answer comes, then goes.
    expect(sent.state.pin).not.toBeNull()
    expect(step(sent.state, { type: 'redeemed', key: 'k1', redemption: redemption(46, 4) }).state.pin).toBeNull()
  })

  it('a wrong PIN asks again with the reason, and the next try is a new checkout', () => {
    const error = apiError('WRONG_PIN')
    const { state } = run(
      [
        { type: 'pinEntered', pin: '1111', key: 'k1' },
        { type: 'redeemFailed', key: 'k1', error },
      ],
      withPin().state,
    )
    expect(state.stage).toBe('pin')
    expect(state.pin).toEqual({ attempt: 2, error })
    expect(state.checkout).toBeNull()
    expect(step(state, { type: 'pinEntered', pin: '2468', key: 'k2' }).effects).toEqual([
      expect.objectContaining({ type: 'redeem', key: 'k2' }),
    ])
  })

  it('a locked PIN closes the pad and says why', () => {
    const error = apiError('PIN_LOCKED')
    const { state } = run(
      [
        { type: 'pinEntered', pin: '1111', key: 'k1' },
        { type: 'redeemFailed', key: 'k1', error },
      ],
      withPin().state,
    )
    expect(state.pin).toBeNull()
    expect(state.stage).toBe('cart')
    expect(state.error).toBe(error)
  })

  it('a wrong PIN says how many tries are left (the server\'s details), not just "try again"', () => {
    const error = { ...apiError('WRONG_PIN'), details: { attemptsLeft: 3, lockedUntil: null } }
    const { state } = run(
      [
        { type: 'pinEntered', pin: '1111', key: 'k1' },
        { type: 'redeemFailed', key: 'k1', error },
      ],
      withPin().state,
    )
    expect(state.pin?.message).toEqual({ key: 'kiosk.pinAttemptsLeft', params: { n: 3 } })
  })

  it('the wrong PIN that locks the household closes the pad, says until when, and confirm stays off', () => {
    const lockedUntil = new Date(Date.now() + 15 * 60_000).toISOString()
    const error = { ...apiError('WRONG_PIN'), details: { attemptsLeft: 0, lockedUntil } }
    const { state } = run(
      [
        { type: 'pinEntered', pin: '1111', key: 'k1' },
        { type: 'redeemFailed', key: 'k1', error },
      ],
      withPin().state,
    )
    expect(state.pin).toBeNull()
    expect(state.stage).toBe('cart')
    expect(state.pinLockedUntil).toBe(lockedUntil)
    expect(state.error).toBeNull()
    expect(canConfirm(state)).toBe(false)
    expect(step(state, { type: 'confirm', key: 'k2' }).state.stage).toBe('cart')
    // a household already locked answers PIN_LOCKED with the same details
    const again = run(
      [
        { type: 'pinEntered', pin: '2468', key: 'k1' },
        { type: 'redeemFailed', key: 'k1', error: { ...apiError('PIN_LOCKED'), details: { lockedUntil } } },
      ],
      withPin().state,
    )
    expect(again.state.pinLockedUntil).toBe(lockedUntil)
    expect(canConfirm(again.state)).toBe(false)
  })

  it('cancel closes the pad and goes back to the cart; a PIN entered twice sends once', () => {
    expect(step(withPin().state, { type: 'pinCancelled' }).state).toMatchObject({ stage: 'cart', pin: null })
    const sent = step(withPin().state, { type: 'pinEntered', pin: '2468', key: 'k1' }).state
    expect(step(sent, { type: 'pinEntered', pin: '2468', key: 'k2' }).effects).toEqual([])
  })
})

describe('the field trial', () => {
  it('after 下一位 the same card is ignored for a few seconds (the camera reads it again), another card is not', () => {
    const served = run([...scanned(), { type: 'next', at: 10_000 }]).state
    expect(step(served, { type: 'scanned', code: CARD, at: 12_000 }).effects).toEqual([])
    expect(step(served, { type: 'scanned', code: 'other.card', at: 12_000 }).effects).toEqual([
      { type: 'resolveCard', code: 'other.card' },
    ])
    expect(step(served, { type: 'scanned', code: CARD, at: 16_000 }).effects).toEqual([
      { type: 'resolveCard', code: CARD },
    ])
  })

  it('a suspended household: goods are refused with the reason and the end date', () => {
    const h = household({ suspendedUntil: '2026-12-31', suspendedReason: '违规占道' })
    const { state } = run([...scanned(h), { type: 'productTapped', product: SOAP }])
    expect(state.cart).toEqual({})
    expect(state.flash?.message).toEqual({
      key: 'kiosk.suspendedWhy',
      params: { until: '2026-12-31', reason: '违规占道' },
    })
  })

  it('a scanner typing too slowly is told', () => {
    expect(step(initialCounter(), { type: 'scanTooSlow' }).state.flash?.message).toEqual({ key: 'kiosk.scanTooSlow' })
  })
})

describe('offline: the snapshot serves, the sale waits on the tablet', () => {
  const network = apiError('NETWORK', 0)
  /** A card scanned with the network down, recognised by the snapshot with this allowance. */
  const offlineScan = (allowance = 20, h: Household = household()): CounterEvent[] => [
    { type: 'scanned', code: CARD },
    { type: 'cardRefused', code: CARD, error: network },
    { type: 'cardRecognisedOffline', code: CARD, household: h, allowance },
  ]

  it('a resolve with no answer asks the snapshot instead of refusing the card, and marks the counter offline', () => {
    const { state, effects } = run([
      { type: 'scanned', code: CARD },
      { type: 'cardRefused', code: CARD, error: network },
    ])
    expect(state.offline).toBe(true)
    expect(state.flash).toBeNull()
    expect(effects).toContainEqual({ type: 'recogniseOffline', code: CARD })
  })

  it('a card the snapshot does not know (unknown, revoked) is refused with the offline reason', () => {
    const { state } = run([
      { type: 'scanned', code: CARD },
      { type: 'cardRefused', code: CARD, error: network },
      { type: 'cardUnknownOffline', code: CARD },
    ])
    expect(state.villager).toBeNull()
    expect(state.resolving).toBe(false)
    expect(state.flash?.message).toEqual({ key: 'kiosk.offline.unknownCard' })
  })

  it('a recognised card shops within the offline allowance, not the whole balance', () => {
    const { state, effects } = run([...offlineScan(20), { type: 'productTapped', product: RICE }])
    expect(state.villager?.offline).toEqual({ allowance: 20 })
    expect(balanceOf(state)).toBe(20)
    expect(shortOf(state).points).toBe(10)
    expect(canConfirm(state)).toBe(false)
    // No household details are asked of a server that is not there.
    expect(effects.some((e) => e.type === 'loadHousehold')).toBe(false)
  })

  it('confirm keeps the sale on the tablet with its own key; the receipt says 离线 with the local number', () => {
    const { state } = run([
      ...offlineScan(20),
      { type: 'productTapped', product: SOAP },
      { type: 'productTapped', product: SOAP },
    ])
    const sent = step(state, { type: 'confirm', key: 'k1' })
    expect(sent.state.stage).toBe('checkout')
    expect(sent.effects).toEqual([
      {
        type: 'queueOfflineSale',
        sale: { key: 'k1', householdId: 'h1', cardCode: CARD, items: [{ productId: 'soap', quantity: 2 }], points: 8 },
      },
    ])
    const done = step(sent.state, { type: 'offlineSaleQueued', key: 'k1', localNo: '离线-ab12-0001', waiting: 1 })
    expect(done.state).toMatchObject({
      stage: 'receipt',
      waiting: 1,
      offlineReceipt: { localNo: '离线-ab12-0001', pointsSpent: 8, balanceAfter: 42 },
    })
    expect(done.state.villager?.offline).toEqual({ allowance: 12 })
    expect(done.effects).toContainEqual({ type: 'speak', message: { key: 'kiosk.speech.after', params: { n: 42 } } })
    // The next villager: the counter stays offline and still shows what waits.
    expect(step(done.state, { type: 'next' }).state).toMatchObject({
      stage: 'scan',
      offline: true,
      waiting: 1,
      offlineReceipt: null,
    })
  })

  it('a PIN household gives its PIN, which travels with the kept sale', () => {
    const { state } = run([
      ...offlineScan(20, household({ hasPin: true })),
      { type: 'productTapped', product: SOAP },
      { type: 'confirm', key: 'k0' },
    ])
    expect(state.stage).toBe('pin')
    const sent = step(state, { type: 'pinEntered', pin: '2468', key: 'k1' })
    expect(sent.effects).toEqual([
      expect.objectContaining({ type: 'queueOfflineSale', sale: expect.objectContaining({ key: 'k1', pin: '2468' }) }),
    ])
  })

  it('a sale the tablet could not keep (over the allowance) goes back to the cart with the reason', () => {
    const { state } = run([
      ...offlineScan(20),
      { type: 'productTapped', product: SOAP },
      { type: 'confirm', key: 'k1' },
    ])
    const error = new Error('over')
    const after = step(state, { type: 'offlineSaleFailed', key: 'k1', error }).state
    expect(after).toMatchObject({ stage: 'cart', checkout: null, error, offlineReceipt: null })
  })

  it('the sync loop reports the connection: back online with nobody at the counter reloads the goods', () => {
    const off = step(initialCounter([RICE]), { type: 'connection', online: false, waiting: 3 })
    expect(off.state).toMatchObject({ offline: true, waiting: 3 })
    const back = step(off.state, { type: 'connection', online: true, waiting: 0 })
    expect(back.state).toMatchObject({ offline: false, waiting: 0 })
    expect(back.effects).toEqual([{ type: 'refreshProducts' }])
    expect(step(back.state, { type: 'connection', online: true }).effects).toEqual([])
  })
})
