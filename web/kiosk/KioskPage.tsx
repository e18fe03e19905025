import { A } from '@solidjs/router'
import {
  createEffect,
  createResource,
  createSignal,
  Match,
  on,
  onCleanup,
  onMount,
  Show,
  Switch,
  untrack,
} from 'solid-js'
import { cards } from '../api/cards'
import { ApiError, messageOf } from '../api/client'
import { households } from '../api/households'
import { products as productsApi, redemptions } from '../api/supermarket'
import { fmt, t } from '../i18n'
import { RequireLogin, RequireRole } from '../shell/guards'
import { TopBar } from '../shell/TopBar'
import { villageId } from '../session'
import { ErrorMessage } from '../ui/Message'
import { CartPanel } from './CartPanel'
import {
  balanceOf,
  canConfirm,
  cardRequired,
  clockTime,
  type CounterEffect,
  type CounterEvent,
  type Flash,
  initialCounter,
  linesOf,
  type Msg,
  shortOf,
  step,
  suspensionOf,
  totalOf,
} from './counter'
import { newIdempotencyKey } from './idempotency'
import { PinPad } from './PinPad'
import { ProductGrid } from './ProductGrid'
import { TodaySales } from './TodaySales'
import { CameraView, HouseholdSearch } from './ScanPanel'
import { listenForScans } from './scanner-keys'
import { setSpeech, speak, speaking, speechAvailable } from './speech'
import {
  allowanceLeft,
  loadSnapshot,
  pendingSales,
  recogniseCard,
  recordOfflineSale,
  refreshSnapshot,
  stockLeft,
  syncPending,
} from './offline/counter-offline'
import type { Snapshot, SnapshotHousehold } from './offline/store'
import type { Household } from '../../shared/types/households'
import type { Product } from '../../shared/types/supermarket'
import './kiosk.css'

/** How often the kiosk tries to send waiting sales and refresh its snapshot. */
const SYNC_EVERY_MS = 5_000

const snapshotProduct = (p: Snapshot['products'][number], stock: number): Product => ({
  ...p,
  stock,
  lowStockThreshold: 0,
  active: true,
  createdAt: '',
})

const snapshotHousehold = (h: SnapshotHousehold, villageId: string): Household => ({
  id: h.id,
  villageId,
  householdNo: h.no,
  headName: h.name,
  phone: null,
  address: null,
  hasPin: h.hasPin,
  balance: h.balance,
  honour: 0,
  suspendedUntil: h.suspendedUntil,
  suspendedReason: null,
  createdAt: '',
  tags: [],
})

export default function KioskPage() {
  return (
    <RequireLogin>
      <RequireRole roles={['cashier']}>
        {/* An administrator chooses the village in the top bar first; the kiosk starts afresh for each. */}
        <Show
          when={villageId()}
          keyed
          fallback={
            <>
              <TopBar title={t('kiosk.title')} />
              <p class="message warn">{t('village.none')}</p>
            </>
          }
        >
          <Kiosk />
        </Show>
      </RequireRole>
    </RequireLogin>
  )
}

const say = (m: Msg) => t(m.key, m.params)
const flashText = (f: Flash) =>
  [f.message && say(f.message), f.error !== undefined && messageOf(f.error)].filter(Boolean).join(' — ')

/** The counter's screen: the state machine of counter.ts, its effects run here (requests, speech, the confirm dialog). */
function Kiosk() {
  const vid = () => villageId()!
  const [state, setState] = createSignal(initialCounter())
  // Online: the server's goods. Offline: the snapshot's, less what this tablet sold since.
  const [products, { refetch: refetchProducts }] = createResource(vid, async (v) => {
    try {
      return (await productsApi.list(v)).items
    } catch (e) {
      const snap = await loadSnapshot(v)
      if (!(e instanceof ApiError && e.isNetwork) || !snap) throw e
      dispatch({ type: 'connection', online: false })
      const left = await stockLeft(snap)
      return snap.products.map((x) => snapshotProduct(x, left.get(x.id) ?? 0))
    }
  })

  /** Sends what waits, then takes a fresh snapshot; tells the counter whether the server answers. */
  async function syncAndRefresh() {
    let online: boolean | undefined
    try {
      await syncPending(vid())
    } catch {}
    // The snapshot fetch reports this tablet's queue, also when the sync was refused: the committee sees it waiting.
    try {
      online = !!(await refreshSnapshot(vid()))
    } catch {}
    const waiting = (await pendingSales(vid())).length
    dispatch({ type: 'connection', online: online ?? !untrack(state).offline, waiting })
  }

  function dispatch(event: CounterEvent) {
    const { state: next, effects } = step(untrack(state), event)
    setState(next)
    for (const effect of effects) void perform(effect)
  }

  async function perform(effect: CounterEffect) {
    switch (effect.type) {
      case 'resolveCard':
        try {
          const res = await cards.resolve(vid(), { code: effect.code })
          dispatch({ type: 'cardResolved', code: effect.code, household: res.household })
        } catch (error) {
          dispatch({ type: 'cardRefused', code: effect.code, error })
        }
        return
      case 'loadHousehold':
        try {
          dispatch({ type: 'householdLoaded', household: await households.get(effect.householdId) })
        } catch {}
        return
      case 'redeem':
        try {
          dispatch({
            type: 'redeemed',
            key: effect.key,
            redemption: await redemptions.redeem(vid(), effect.body, effect.key),
          })
        } catch (error) {
          dispatch({ type: 'redeemFailed', key: effect.key, error })
        }
        return
      case 'refreshProducts':
        void refetchProducts()
        return
      case 'speak':
        speak(say(effect.message))
        return
      case 'confirmAbandon':
        if (window.confirm(t('kiosk.abandonConfirm'))) dispatch({ type: 'next', confirmed: true })
        return
      case 'recogniseOffline': {
        // No network: the card is recognised by the snapshot (a revoked card is not in it), the allowance applies.
        const snap = await loadSnapshot(vid())
        const h = snap ? await recogniseCard(snap, effect.code) : null
        if (!snap || !h) return dispatch({ type: 'cardUnknownOffline', code: effect.code })
        dispatch({
          type: 'cardRecognisedOffline',
          code: effect.code,
          household: snapshotHousehold(h, vid()),
          allowance: await allowanceLeft(snap, h),
        })
        return
      }
      case 'queueOfflineSale': {
        // Kept on the tablet (IndexedDB) before the receipt says it is done; sent when the network returns.
        const { sale } = effect
        try {
          const snap = await loadSnapshot(vid())
          const h = snap?.households.find((x) => x.id === sale.householdId)
          if (!snap || !h) throw new Error(t('kiosk.offline.unknownCard'))
          if (sale.points > (await allowanceLeft(snap, h))) throw new Error(t('kiosk.offline.overAllowance'))
          const kept = await recordOfflineSale(snap, h, sale.cardCode, sale.items, sale.points, sale.pin)
          dispatch({
            type: 'offlineSaleQueued',
            key: sale.key,
            localNo: kept.localNo,
            waiting: (await pendingSales(vid())).length,
          })
        } catch (error) {
          dispatch({ type: 'offlineSaleFailed', key: sale.key, error })
        }
        return
      }
    }
  }

  // The goods on sale, each time they are loaded (a failed load is shown by its own message below).
  createEffect(() => {
    if (products.state === 'ready') dispatch({ type: 'productsLoaded', products: products() })
  })

  // A note fades after a while (an error stays longer); a newer one takes the timer over.
  let flashTimer: ReturnType<typeof setTimeout> | undefined
  createEffect(
    on(
      () => state().flash,
      (f) => {
        clearTimeout(flashTimer)
        if (f)
          flashTimer = setTimeout(() => dispatch({ type: 'flashExpired', seq: f.seq }), f.kind === 'ok' ? 2500 : 6000)
      },
    ),
  )
  onCleanup(() => clearTimeout(flashTimer))

  onMount(() => {
    const stop = listenForScans(
      (code) => dispatch({ type: 'scanned', code, at: Date.now() }),
      undefined,
      () => dispatch({ type: 'scanTooSlow' }),
    )
    onCleanup(stop)
    void syncAndRefresh()
    const timer = setInterval(() => void syncAndRefresh(), SYNC_EVERY_MS)
    const online = () => void syncAndRefresh()
    window.addEventListener('online', online)
    onCleanup(() => (clearInterval(timer), window.removeEventListener('online', online)))
  })

  const [showToday, setShowToday] = createSignal(false)
  const stage = () => state().stage
  const receipt = () => state().receipt
  const offlineReceipt = () => state().offlineReceipt
  const next = () => dispatch({ type: 'next', at: Date.now() })
  const printReceipt = () =>
    void redemptions.printReceipt(receipt()!.id).catch((error) => dispatch({ type: 'printFailed', error }))

  return (
    <div class="kiosk">
      <TopBar title={t('kiosk.title')}>
        <Show when={speechAvailable()}>
          <label class="inline speak-toggle">
            <input type="checkbox" checked={speaking()} onChange={(e) => setSpeech(e.currentTarget.checked)} />
            {t('kiosk.speak')}
          </label>
        </Show>
        <A class="button" href="/supermarket/products">
          {t('nav.group.shop')}
        </A>
      </TopBar>
      <Show when={state().offline || state().waiting > 0}>
        <div class="message warn offline-bar" role="status" data-testid="offline-bar">
          <Show when={state().offline}>
            <b data-testid="offline">{t('kiosk.offline.on')}</b>{' '}
          </Show>
          <span data-testid="waiting">{t('kiosk.offline.waiting', { n: state().waiting })}</span>
        </div>
      </Show>
      <Show when={state().flash}>
        {(f) => (
          <div class={`flash message ${f().kind}`} role="status">
            {flashText(f())}
          </div>
        )}
      </Show>
      <Switch>
        <Match when={!state().villager}>
          <div class="scan-screen">
            <section class="scan-left">
              <h1 class="prompt">{t('kiosk.prompt')}</h1>
              <p class="muted">{t('kiosk.promptHint')}</p>
              <p class="scanner-ready">{t('kiosk.scannerReady')}</p>
              <Show when={state().resolving}>
                <p class="message warn">{t('kiosk.resolving')}</p>
              </Show>
              <button type="button" class="today-button" onClick={() => setShowToday(true)}>
                {t('kiosk.today')}
              </button>
              <CameraView onCode={(code) => dispatch({ type: 'scanned', code, at: Date.now() })} />
            </section>
            <section class="scan-right">
              <HouseholdSearch onPick={(household) => dispatch({ type: 'householdPicked', household })} />
            </section>
          </div>
        </Match>
        <Match when={state().villager}>
          {(v) => (
            <div class="counter">
              <header class="villager" data-household={v().household.id}>
                <div>
                  <div class="villager-name" data-testid="head-name">
                    {v().household.headName}
                  </div>
                  <div class="villager-no">{t('kiosk.householdNo', { no: v().household.householdNo })}</div>
                  <Show when={v().household.hasPin}>
                    <div class="muted">{t('kiosk.pinProtected')}</div>
                  </Show>
                  <Show when={v().offline}>
                    {(o) => (
                      <div class="message warn" data-testid="allowance">
                        {t('kiosk.offline.allowance', { n: o().allowance })}
                      </div>
                    )}
                  </Show>
                  <Show when={cardRequired(state())}>
                    <div class="message error" role="alert" data-testid="card-required">
                      {t('kiosk.cardRequired')}
                    </div>
                  </Show>
                  <Show when={!cardRequired(state()) && !v().cardCode}>
                    <div class="message warn" data-testid="no-card">
                      {t('kiosk.noCardPin')}
                    </div>
                  </Show>
                  <Show when={suspensionOf(v().household)}>
                    {(m) => (
                      <div class="message error" data-testid="suspended">
                        {say(m())}
                      </div>
                    )}
                  </Show>
                </div>
                <div class="villager-balance">
                  <div class="label">{receipt() || offlineReceipt() ? t('kiosk.newBalance') : t('kiosk.balance')}</div>
                  <div class="value" data-testid="balance">
                    {fmt(v().household.balance)}
                  </div>
                </div>
                <button type="button" class="big next" onClick={next}>
                  {t('kiosk.next')}
                </button>
              </header>
              <Show when={offlineReceipt()}>
                {(d) => (
                  <section class="done" role="status" data-testid="offline-done">
                    <div class="done-title">
                      ✔ {t('kiosk.done')} <span class="offline-mark">{t('kiosk.offline.mark')}</span>
                    </div>
                    <div class="done-spent">{t('kiosk.spent', { n: fmt(d().pointsSpent) })}</div>
                    <div>
                      {t('kiosk.offline.localNo')} <b data-testid="local-no">{d().localNo}</b>
                    </div>
                    <div class="muted">{t('kiosk.offline.kept')}</div>
                    <div class="row">
                      <button type="button" class="big primary" onClick={next}>
                        {t('kiosk.next')}
                      </button>
                    </div>
                  </section>
                )}
              </Show>
              <Show
                when={!receipt() && !offlineReceipt()}
                fallback={
                  receipt() ? (
                    <section class="done" role="status">
                      <div class="done-title">✔ {t('kiosk.done')}</div>
                      <div class="done-spent">{t('kiosk.spent', { n: fmt(receipt()!.pointsSpent) })}</div>
                      <div class="done-balance">
                        {t('kiosk.newBalance')} <b data-testid="balance-after">{fmt(receipt()!.balanceAfter)}</b>
                      </div>
                      <div class="row">
                        <button type="button" class="big" onClick={printReceipt}>
                          {t('kiosk.printReceipt')}
                        </button>
                        <button type="button" class="big primary" onClick={next}>
                          {t('kiosk.next')}
                        </button>
                      </div>
                    </section>
                  ) : undefined
                }
              >
                <div class="shop">
                  <Show when={products.error}>
                    <ErrorMessage error={products.error} onRetry={() => void refetchProducts()} />
                  </Show>
                  <ProductGrid
                    products={state().products}
                    inCart={(id) => state().cart[id] ?? 0}
                    onAdd={(product) => dispatch({ type: 'productTapped', product })}
                  />
                  <CartPanel
                    lines={linesOf(state())}
                    total={totalOf(state())}
                    balance={balanceOf(state())}
                    short={shortOf(state())}
                    locked={stage() === 'checkout' || stage() === 'unknown'}
                    onChange={(productId, delta) => dispatch({ type: 'quantityChanged', productId, delta })}
                    footer={
                      <div class="cart-actions">
                        <Show when={stage() === 'unknown'}>
                          <div class="message warn" role="alert" data-testid="checkout-unknown">
                            <div>{t('kiosk.unknownState')}</div>
                            <div style={{ 'font-weight': 400 }}>{t('kiosk.unknownHint')}</div>
                          </div>
                          <button type="button" class="big primary" onClick={() => dispatch({ type: 'retry' })}>
                            ↻ {t('kiosk.retry')}
                          </button>
                        </Show>
                        <Show when={stage() !== 'unknown'}>
                          <Show when={state().error}>
                            <ErrorMessage error={state().error} />
                          </Show>
                          <Show when={state().pinLockedUntil}>
                            {(until) => (
                              <div class="message error" role="alert" data-testid="pin-locked">
                                {t('kiosk.pinLocked', { time: clockTime(until()) })}
                              </div>
                            )}
                          </Show>
                          <button
                            type="button"
                            class="big primary confirm"
                            disabled={!canConfirm(state())}
                            onClick={() => dispatch({ type: 'confirm', key: newIdempotencyKey() })}
                          >
                            {stage() === 'checkout' ? t('kiosk.sending') : t('kiosk.confirm')}
                          </button>
                        </Show>
                      </div>
                    }
                  />
                </div>
              </Show>
            </div>
          )}
        </Match>
      </Switch>
      <Show when={showToday()}>
        <TodaySales villageId={vid()} onClose={() => setShowToday(false)} />
      </Show>
      <Show when={state().pin} keyed>
        {(p) => (
          <PinPad
            error={p.message ? say(p.message) : p.error ? messageOf(p.error) : undefined}
            onSubmit={(pin) => dispatch({ type: 'pinEntered', pin, key: newIdempotencyKey() })}
            onCancel={() => dispatch({ type: 'pinCancelled' })}
          />
        )}
      </Show>
    </div>
  )
}
