import { For, Show } from 'solid-js'
import { fmt, t } from '../i18n'
import type { CartLine, Shortage } from './cart'

export function CartPanel(props: {
  lines: CartLine[]
  total: number
  balance: number
  short: Shortage
  locked: boolean
  onChange: (productId: string, delta: number) => void
  footer: any
}) {
  return (
    <aside class="cart" aria-label={t('kiosk.cart')}>
      <h2>{t('kiosk.cart')}</h2>
      <div class="cart-lines">
        <Show when={props.lines.length} fallback={<p class="muted">{t('kiosk.cartEmpty')}</p>}>
          <For each={props.lines}>
            {(l) => (
              <div class="cart-line" data-product={l.product.id}>
                <span class="cart-name">{l.product.name}</span>
                <span class="cart-qty">
                  <button
                    type="button"
                    aria-label={t('kiosk.less')}
                    disabled={props.locked}
                    onClick={() => props.onChange(l.product.id, -1)}
                  >
                    −
                  </button>
                  <b>{l.quantity}</b>
                  <button
                    type="button"
                    aria-label={t('kiosk.more')}
                    disabled={props.locked || l.quantity >= l.product.stock}
                    onClick={() => props.onChange(l.product.id, 1)}
                  >
                    +
                  </button>
                </span>
                <span class="cart-pts">{fmt(l.points)}</span>
              </div>
            )}
          </For>
        </Show>
      </div>
      <div class="cart-sum">
        <div class="sum-row">
          <span>{t('kiosk.total')}</span>
          <b data-testid="cart-total">{t('app.points', { n: fmt(props.total) })}</b>
        </div>
        <div class="sum-row">
          <span>{t('kiosk.after')}</span>
          <b>{t('app.points', { n: fmt(props.balance - props.total) })}</b>
        </div>
      </div>
      <Show when={props.short.points > 0}>
        <div class="message error" role="alert" data-testid="short-points">
          {t('kiosk.shortPoints', { n: fmt(props.short.points) })}
        </div>
      </Show>
      <For each={props.short.stock}>
        {(s) => (
          <div class="message error" role="alert">
            {t('kiosk.shortStock', { name: s.name, n: fmt(s.stock) })}
          </div>
        )}
      </For>
      {props.footer}
    </aside>
  )
}
