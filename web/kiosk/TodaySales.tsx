import { createResource, createSignal, For, onMount, Show } from 'solid-js'
import type { Redemption } from '../../shared/types/supermarket'
import { redemptions } from '../api/supermarket'
import { fmt, t } from '../i18n'
import { ErrorMessage } from '../ui/Message'
import { clockTime } from './counter'

const localDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

/** Today's sales at the counter: reprint a receipt, or void a sale of today with a reason (API.md: the cashier, same day). */
export function TodaySales(props: { villageId: string; onClose: () => void }) {
  let dialog!: HTMLDialogElement
  const today = new Date()
  const [sales, { refetch }] = createResource(async () => {
    const page = await redemptions.list(props.villageId, { month: localDay(today).slice(0, 7) })
    return page.items.filter((r) => localDay(new Date(r.at)) === localDay(today))
  })
  const [voiding, setVoiding] = createSignal<string | null>(null)
  const [reason, setReason] = createSignal('')
  const [error, setError] = createSignal<unknown>(null)
  const [done, setDone] = createSignal(false)
  onMount(() => dialog.showModal())

  async function act(run: () => Promise<unknown>) {
    setError(null)
    setDone(false)
    try {
      await run()
    } catch (e) {
      setError(e)
    }
  }
  const voidSale = (r: Redemption) =>
    act(async () => {
      await redemptions.void(r.id, reason().trim())
      setVoiding(null)
      setReason('')
      setDone(true)
      await refetch()
    })

  return (
    <dialog
      ref={dialog}
      class="today-sales"
      aria-label={t('kiosk.todayTitle')}
      onCancel={(e) => (e.preventDefault(), props.onClose())}
    >
      <h2>{t('kiosk.todayTitle')}</h2>
      <Show when={error()}>
        <ErrorMessage error={error()} />
      </Show>
      <Show when={done()}>
        <div class="message ok" role="status">
          {t('kiosk.voidDone')}
        </div>
      </Show>
      <Show when={sales.error}>
        <ErrorMessage error={sales.error} onRetry={() => void refetch()} />
      </Show>
      <div class="sales-list">
        <Show
          when={sales()?.length}
          fallback={
            <Show when={sales()}>
              <p class="muted">{t('kiosk.todayNone')}</p>
            </Show>
          }
        >
          <For each={sales()}>
            {(r) => (
              <div class="sale" data-redemption={r.id} classList={{ voided: r.voided }}>
                <div class="sale-what">
                  <b>{t('kiosk.todaySale', { time: clockTime(r.at), no: r.householdNo, n: fmt(r.pointsSpent) })}</b>
                  <div class="muted">{r.items.map((l) => `${l.name}×${l.quantity}`).join('、')}</div>
                </div>
                <Show
                  when={!r.voided}
                  fallback={
                    <span class="message warn">
                      {t('kiosk.voided')}
                      {r.voidReason ? `：${r.voidReason}` : ''}
                    </span>
                  }
                >
                  <button type="button" onClick={() => act(() => redemptions.printReceipt(r.id))}>
                    {t('kiosk.reprint')}
                  </button>
                  <Show
                    when={voiding() === r.id}
                    fallback={
                      <button type="button" onClick={() => (setVoiding(r.id), setReason(''))}>
                        {t('kiosk.void')}
                      </button>
                    }
                  >
                    <input
                      aria-label={t('kiosk.voidReason')}
                      placeholder={t('kiosk.voidReason')}
                      value={reason()}
                      onInput={(e) => setReason(e.currentTarget.value)}
                    />
                    <button type="button" class="danger" disabled={!reason().trim()} onClick={() => void voidSale(r)}>
                      {t('kiosk.voidConfirm')}
                    </button>
                  </Show>
                </Show>
              </div>
            )}
          </For>
        </Show>
      </div>
      <button type="button" class="big close" onClick={() => props.onClose()}>
        {t('kiosk.close')}
      </button>
    </dialog>
  )
}
