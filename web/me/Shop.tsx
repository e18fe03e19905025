import { createResource, For, Show } from 'solid-js'
import { fmt, t } from '../i18n'
import { villager } from '../api/villager'

/** What the love supermarket has in stock now, and its price in points. */
export function Shop() {
  const [products] = createResource(() => villager.products())
  return (
    <section>
      <Show when={products()} fallback={<p>{t('app.loading')}</p>}>
        {(p) => (
          <Show when={p().items.length} fallback={<p>{t('me.shop.empty')}</p>}>
            <ul class="me-list">
              <For each={p().items}>
                {(item) => (
                  <li class="me-entry">
                    <div class="me-entry-main">
                      <span class="me-entry-what">{item.name}</span>
                      <span class="me-entry-amount">{t('me.shop.price', { n: fmt(item.pointsPrice) })}</span>
                    </div>
                    <div class="me-muted">{t('me.shop.stock', { n: fmt(item.stock), unit: item.unit ?? '' })}</div>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  )
}
