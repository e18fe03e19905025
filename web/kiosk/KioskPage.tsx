import { A } from '@solidjs/router'
import { createMemo, createResource, createSignal, Match, onCleanup, onMount, Show, Switch } from 'solid-js'
import type { Household } from '../../shared/types/households'
import type { Product, Redemption } from '../../shared/types/supermarket'
import { ApiError, api, messageOf, openPrintable, type Page } from '../api'
import { fmt, t } from '../i18n'
import { RequireLogin, RequireRole } from '../shell/guards'
import { TopBar } from '../shell/TopBar'
import { villageId } from '../session'
import type { ResolvedCard } from '../types'
import { ErrorMessage } from '../ui/Message'
import { addToCart, type Cart, cartLines, cartTotal, productForCode, shortage } from './cart'
import { CartPanel } from './CartPanel'
import { Checkout, outcomeUnknown } from './checkout'
import { PinPad } from './PinPad'
import { ProductGrid } from './ProductGrid'
import { CameraView, HouseholdSearch } from './ScanPanel'
import { listenForScans } from './scanner-keys'
import { setSpeech, speak, speaking, speechAvailable } from './speech'
import {
  allowanceLeft, loadSnapshot, pendingSales, recogniseCard, recordOfflineSale, refreshSnapshot, stockLeft, syncPending,
} from './offline/counter-offline'
import type { Snapshot, SnapshotHousehold } from './offline/store'
import './kiosk.css'

/** How often the kiosk tries to send waiting sales and refresh its snapshot. */
const SYNC_EVERY_MS = 5_000

/** The villager at the counter: who they are, and the card they showed (none when found by search). */
interface Villager {
  household: Household
  cardCode: string | null
  /** Served without the network, from the snapshot: what it may still spend offline. */
  offline?: { allowance: number }
}

/** A sale made offline: the receipt shows its local number and 离线. */
interface OfflineDone {
  localNo: string
  pointsSpent: number
  balanceAfter: number
}

const snapshotProduct = (p: Snapshot['products'][number], stock: number): Product => ({
  ...p, stock, lowStockThreshold: 0, active: true, createdAt: '',
})

const snapshotHousehold = (h: SnapshotHousehold, villageId: string): Household => ({
  id: h.id, villageId, householdNo: h.no, headName: h.name, phone: null, address: null, hasPin: h.hasPin, balance: h.balance, honour: 0,
  suspendedUntil: h.suspendedUntil, suspendedReason: null, createdAt: '',
})

type CheckoutState = 'idle' | 'sending' | 'unknown'

export default function KioskPage() {
  return (
    <RequireLogin>
      <RequireRole roles={['cashier']}>
        {/* An administrator chooses the village in the top bar first; the kiosk starts afresh for each. */}
        <Show when={villageId()} keyed fallback={<><TopBar title={t('kiosk.title')} /><p class="message warn">{t('village.none')}</p></>}>
          <Kiosk />
        </Show>
      </RequireRole>
    </RequireLogin>
  )
}

function Kiosk() {
  const vid = () => villageId()!
  const [offline, setOffline] = createSignal(false)
  const [waiting, setWaiting] = createSignal(0)
  const [offlineDone, setOfflineDone] = createSignal<OfflineDone | null>(null)
  // Online: the server's goods. Offline: the snapshot's, less what this tablet sold since.
  const [products, { refetch: refetchProducts }] = createResource(vid, async (v) => {
    try {
      const p = await api.get<Page<Product>>(`/api/villages/${v}/products?limit=500`)
      return p.items.filter((x) => x.active !== false)
    } catch (e) {
      const snap = await loadSnapshot(v)
      if (!(e instanceof ApiError && e.isNetwork) || !snap) throw e
      setOffline(true)
      const left = await stockLeft(snap)
      return snap.products.map((x) => snapshotProduct(x, left.get(x.id) ?? 0))
    }
  })

  /** Sends what waits, then takes a fresh snapshot; marks the counter offline when the server is out of reach. */
  async function syncAndRefresh() {
    try {
      await syncPending(vid())
      const snap = await refreshSnapshot(vid())
      const wasOffline = offline()
      setOffline(!snap)
      if (snap && wasOffline && !villager()) void refetchProducts()
    } catch {}
    setWaiting((await pendingSales(vid())).length)
  }
  const [villager, setVillager] = createSignal<Villager | null>(null)
  const [cart, setCart] = createSignal<Cart>({})
  const [checkout, setCheckout] = createSignal<Checkout | null>(null)
  const [state, setState] = createSignal<CheckoutState>('idle')
  const [error, setError] = createSignal<unknown>(null)
  const [done, setDone] = createSignal<Redemption | null>(null)
  const [pinAsk, setPinAsk] = createSignal<{ error?: string; attempt: number } | null>(null)
  const [resolving, setResolving] = createSignal(false)
  const [flash, setFlash] = createSignal<{ kind: 'ok' | 'error'; text: string } | null>(null)
  let flashTimer: ReturnType<typeof setTimeout> | undefined

  const lines = createMemo(() => cartLines(cart(), products() ?? []))
  const total = createMemo(() => cartTotal(lines()))
  // Offline the household may spend its allowance, not its whole balance.
  const balance = () => villager()?.offline?.allowance ?? villager()?.household.balance ?? 0
  const short = createMemo(() => shortage(lines(), balance()))
  const canConfirm = () =>
    lines().length > 0 && short().points === 0 && short().stock.length === 0 && state() === 'idle' && !villager()?.household.suspendedUntil

  function show(kind: 'ok' | 'error', text: string) {
    clearTimeout(flashTimer)
    setFlash({ kind, text })
    flashTimer = setTimeout(() => setFlash(null), kind === 'ok' ? 2500 : 6000)
  }

  /** Everything of the previous household goes: cart, result, errors, PIN. */
  function clearCounter() {
    setVillager(null)
    setCart({})
    setCheckout(null)
    setState('idle')
    setError(null)
    setDone(null)
    setPinAsk(null)
    setFlash(null)
    setOfflineDone(null)
  }

  /** A checkout whose outcome is unknown must be retried before the counter moves on. */
  function busyWithCheckout(): boolean {
    if (state() === 'idle') return false
    show('error', t('kiosk.finishFirst'))
    return true
  }

  function nextVillager() {
    if (state() === 'unknown' && !window.confirm(t('kiosk.abandonConfirm'))) return
    if (state() === 'sending') return
    clearCounter()
  }

  async function welcome(household: Household, cardCode: string | null) {
    clearCounter()
    setVillager({ household, cardCode })
    speak(t('kiosk.speech.balance', { name: household.headName, n: household.balance }))
    // The scan answers with name and balance at once; the PIN flag and any suspension come with the details.
    try {
      const full = await api.get<Household>(`/api/households/${household.id}`)
      setVillager((v) => (v?.household.id === household.id ? { ...v, household: { ...v.household, ...full } } : v))
    } catch {}
  }

  async function onScan(code: string) {
    if (busyWithCheckout()) return
    const product = villager() && !done() && !offlineDone() ? productForCode(products() ?? [], code) : undefined
    if (product) return addProduct(product)
    setResolving(true)
    try {
      const res = await api.post<ResolvedCard>(`/api/villages/${vid()}/cards/resolve`, { code })
      await welcome(res.household, code)
    } catch (e) {
      if (e instanceof ApiError && e.isNetwork) return void (await welcomeOffline(code))
      const known = e instanceof ApiError && ['CARD_INVALID', 'CARD_REVOKED', 'FORBIDDEN'].includes(e.code)
      show('error', known ? messageOf(e) : `${t('kiosk.unknownCode', { code: code.slice(0, 24) })} — ${messageOf(e)}`)
    } finally {
      setResolving(false)
    }
  }

  /** No network: the card is recognised by the snapshot (a revoked card is not in it), the allowance applies. */
  async function welcomeOffline(code: string) {
    setOffline(true)
    const snap = await loadSnapshot(vid())
    const h = snap ? await recogniseCard(snap, code) : null
    if (!snap || !h) return show('error', t('kiosk.offline.unknownCard'))
    clearCounter()
    const allowance = await allowanceLeft(snap, h)
    setVillager({ household: snapshotHousehold(h, vid()), cardCode: code, offline: { allowance } })
    void refetchProducts()
    speak(t('kiosk.speech.balance', { name: h.name, n: h.balance }))
  }

  function addProduct(p: Product) {
    if (state() !== 'idle' || done() || offlineDone()) return
    if ((cart()[p.id] ?? 0) >= p.stock) return show('error', t('kiosk.shortStock', { name: p.name, n: p.stock }))
    setCart((c) => addToCart(c, p.id))
    show('ok', t('kiosk.productAdded', { name: p.name }))
  }

  function confirm() {
    if (!canConfirm()) return
    if (villager()!.household.hasPin) setPinAsk({ attempt: 1 })
    else void startCheckout()
  }

  async function startCheckout(pin?: string) {
    const v = villager()!
    if (v.offline) return sellOffline(pin)
    const items = lines().map((l) => ({ productId: l.product.id, quantity: l.quantity }))
    const body = { ...(v.cardCode ? { cardCode: v.cardCode } : { householdId: v.household.id }), items, ...(pin ? { pin } : {}) }
    setCheckout(new Checkout(vid(), body))
    await send()
  }

  /** Sends the checkout; a retry sends the very same key and body. */
  async function send() {
    const c = checkout()
    if (!c) return
    setState('sending')
    setError(null)
    try {
      const result = await c.send()
      setPinAsk(null)
      setFlash(null)
      setDone(result)
      setVillager((v) => v && { ...v, household: { ...v.household, balance: result.balanceAfter } })
      setCheckout(null)
      setState('idle')
      speak(t('kiosk.speech.after', { n: result.balanceAfter }))
      void refetchProducts()
    } catch (e) {
      if (outcomeUnknown(e)) {
        setState('unknown')
        setError(e)
        return
      }
      // A definite refusal: nothing was charged, and the next confirm is a new checkout with a new key.
      setCheckout(null)
      setState('idle')
      const code = e instanceof ApiError ? e.code : ''
      if (code === 'WRONG_PIN') return setPinAsk((p) => ({ attempt: (p?.attempt ?? 0) + 1, error: messageOf(e) }))
      setPinAsk(null)
      setError(e)
      if (code === 'INSUFFICIENT_POINTS' || code === 'OUT_OF_STOCK') {
        void refetchProducts()
        const h = villager()?.household
        if (h) void welcomeRefresh(h.id)
      }
    }
  }

  /** Keeps the sale on the tablet (IndexedDB) before saying it is done; it is sent when the network returns. */
  async function sellOffline(pin?: string) {
    const v = villager()!
    const snap = await loadSnapshot(vid())
    const h = snap?.households.find((x) => x.id === v.household.id)
    if (!snap || !h || !v.cardCode) return
    const items = lines().map((l) => ({ productId: l.product.id, quantity: l.quantity }))
    const points = total()
    if (points > (await allowanceLeft(snap, h))) return show('error', t('kiosk.offline.overAllowance'))
    setState('sending')
    try {
      const sale = await recordOfflineSale(snap, h, v.cardCode, items, points, pin)
      setPinAsk(null)
      setOfflineDone({ localNo: sale.localNo, pointsSpent: points, balanceAfter: v.household.balance - points })
      setWaiting((await pendingSales(vid())).length)
      speak(t('kiosk.speech.after', { n: v.household.balance - points }))
      void refetchProducts()
    } catch (e) {
      show('error', messageOf(e))
    } finally {
      setState('idle')
    }
  }

  async function welcomeRefresh(householdId: string) {
    try {
      const full = await api.get<Household>(`/api/households/${householdId}`)
      setVillager((v) => (v?.household.id === householdId ? { ...v, household: { ...v.household, ...full } } : v))
    } catch {}
  }

  onMount(() => {
    const stop = listenForScans((code) => void onScan(code))
    onCleanup(stop)
    void syncAndRefresh()
    const timer = setInterval(() => void syncAndRefresh(), SYNC_EVERY_MS)
    const online = () => void syncAndRefresh()
    window.addEventListener('online', online)
    onCleanup(() => (clearInterval(timer), window.removeEventListener('online', online)))
  })
  onCleanup(() => clearTimeout(flashTimer))

  return (
    <div class="kiosk">
      <TopBar title={t('kiosk.title')}>
        <Show when={speechAvailable()}>
          <label class="inline speak-toggle">
            <input type="checkbox" checked={speaking()} onChange={(e) => setSpeech(e.currentTarget.checked)} />
            {t('kiosk.speak')}
          </label>
        </Show>
        <A class="button" href="/supermarket/products">{t('nav.group.shop')}</A>
      </TopBar>
      <Show when={offline() || waiting() > 0}>
        <div class="message warn offline-bar" role="status" data-testid="offline-bar">
          <Show when={offline()}><b data-testid="offline">{t('kiosk.offline.on')}</b> </Show>
          <span data-testid="waiting">{t('kiosk.offline.waiting', { n: waiting() })}</span>
        </div>
      </Show>
      <Show when={flash()}>
        {(f) => <div class={`flash message ${f().kind}`} role="status">{f().text}</div>}
      </Show>
      <Switch>
        <Match when={!villager()}>
          <div class="scan-screen">
            <section class="scan-left">
              <h1 class="prompt">{t('kiosk.prompt')}</h1>
              <p class="muted">{t('kiosk.promptHint')}</p>
              <p class="scanner-ready">{t('kiosk.scannerReady')}</p>
              <Show when={resolving()}><p class="message warn">{t('kiosk.resolving')}</p></Show>
              <CameraView onCode={(code) => void onScan(code)} />
            </section>
            <section class="scan-right">
              <HouseholdSearch onPick={(h) => void welcome(h, null)} />
            </section>
          </div>
        </Match>
        <Match when={villager()}>
          {(v) => (
            <div class="counter">
              <header class="villager" data-household={v().household.id}>
                <div>
                  <div class="villager-name" data-testid="head-name">{v().household.headName}</div>
                  <div class="villager-no">{t('kiosk.householdNo', { no: v().household.householdNo })}</div>
                  <Show when={v().household.hasPin}><div class="muted">{t('kiosk.pinProtected')}</div></Show>
                  <Show when={v().offline}>
                    {(o) => <div class="message warn" data-testid="allowance">{t('kiosk.offline.allowance', { n: o().allowance })}</div>}
                  </Show>
                  <Show when={v().household.suspendedUntil}>
                    <div class="message error">{t('kiosk.suspended', { until: v().household.suspendedUntil! })}</div>
                  </Show>
                </div>
                <div class="villager-balance">
                  <div class="label">{done() ? t('kiosk.newBalance') : t('kiosk.balance')}</div>
                  <div class="value" data-testid="balance">{fmt(v().household.balance)}</div>
                </div>
                <button type="button" class="big next" onClick={nextVillager}>{t('kiosk.next')}</button>
              </header>
              <Show when={offlineDone()}>
                {(d) => (
                  <section class="done" role="status" data-testid="offline-done">
                    <div class="done-title">✔ {t('kiosk.done')} <span class="offline-mark">{t('kiosk.offline.mark')}</span></div>
                    <div class="done-spent">{t('kiosk.spent', { n: fmt(d().pointsSpent) })}</div>
                    <div>{t('kiosk.offline.localNo')} <b data-testid="local-no">{d().localNo}</b></div>
                    <div class="muted">{t('kiosk.offline.kept')}</div>
                    <div class="row">
                      <button type="button" class="big primary" onClick={nextVillager}>{t('kiosk.next')}</button>
                    </div>
                  </section>
                )}
              </Show>
              <Show
                when={!done() && !offlineDone()}
                fallback={done() ? 
                  <section class="done" role="status">
                    <div class="done-title">✔ {t('kiosk.done')}</div>
                    <div class="done-spent">{t('kiosk.spent', { n: fmt(done()!.pointsSpent) })}</div>
                    <div class="done-balance">
                      {t('kiosk.newBalance')} <b data-testid="balance-after">{fmt(done()!.balanceAfter)}</b>
                    </div>
                    <div class="row">
                      <button type="button" class="big" onClick={() => void openPrintable(`/api/redemptions/${done()!.id}/receipt`).catch((e) => show('error', messageOf(e)))}>
                        {t('kiosk.printReceipt')}
                      </button>
                      <button type="button" class="big primary" onClick={nextVillager}>{t('kiosk.next')}</button>
                    </div>
                  </section> : undefined
                }
              >
                <div class="shop">
                  <Show when={products.error}><ErrorMessage error={products.error} onRetry={() => void refetchProducts()} /></Show>
                  <ProductGrid products={products() ?? []} inCart={(id) => cart()[id] ?? 0} onAdd={addProduct} />
                  <CartPanel
                    lines={lines()}
                    total={total()}
                    balance={balance()}
                    short={short()}
                    locked={state() !== 'idle'}
                    onChange={(id, d) => setCart((c) => addToCart(c, id, d))}
                    footer={
                      <div class="cart-actions">
                        <Show when={state() === 'unknown'}>
                          <div class="message warn" role="alert" data-testid="checkout-unknown">
                            <div>{t('kiosk.unknownState')}</div>
                            <div style={{ 'font-weight': 400 }}>{t('kiosk.unknownHint')}</div>
                          </div>
                          <button type="button" class="big primary" onClick={() => void send()}>↻ {t('kiosk.retry')}</button>
                        </Show>
                        <Show when={state() !== 'unknown'}>
                          <Show when={error()}><ErrorMessage error={error()} /></Show>
                          <button type="button" class="big primary confirm" disabled={!canConfirm()} onClick={confirm}>
                            {state() === 'sending' ? t('kiosk.sending') : t('kiosk.confirm')}
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
      <Show when={pinAsk()} keyed>
        {(p) => <PinPad error={p.error} onSubmit={(pin) => void startCheckout(pin)} onCancel={() => setPinAsk(null)} />}
      </Show>
    </div>
  )
}
