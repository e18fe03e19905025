import { createMemo, createSignal, For } from 'solid-js'
import type { Product } from '../../shared/types/supermarket'
import { fmt, t } from '../i18n'

/** Goods as large tiles, filtered by category; tapping one adds it to the cart. */
export function ProductGrid(props: {
  products: Product[]
  inCart: (id: string) => number
  onAdd: (p: Product) => void
}) {
  const ALL = '\u0000all'
  const [category, setCategory] = createSignal(ALL)
  const categoryOf = (p: Product) => p.category || t('kiosk.uncategorised')
  const categories = createMemo(() =>
    [...new Set(props.products.map(categoryOf))].sort((a, b) => a.localeCompare(b, 'zh-CN')),
  )
  const shown = createMemo(() => props.products.filter((p) => category() === ALL || categoryOf(p) === category()))
  return (
    <section class="products" aria-label={t('kiosk.products')}>
      <div class="tabs" role="tablist">
        <For each={[ALL, ...categories()]}>
          {(c) => (
            <button
              type="button"
              role="tab"
              aria-selected={category() === c}
              classList={{ selected: category() === c }}
              onClick={() => setCategory(c)}
            >
              {c === ALL ? t('kiosk.allCategories') : c}
            </button>
          )}
        </For>
      </div>
      <div class="tiles">
        <For each={shown()}>
          {(p) => (
            <button
              type="button"
              class="tile"
              data-product={p.id}
              disabled={p.stock <= props.inCart(p.id)}
              onClick={() => props.onAdd(p)}
            >
              <span class="tile-name">{p.name}</span>
              <span class="tile-price">{t('app.points', { n: fmt(p.pointsPrice) })}</span>
              <span class="tile-stock">
                {p.stock > 0
                  ? t('kiosk.stock', { n: fmt(p.stock) }) + (p.unit ? ` ${p.unit}` : '')
                  : t('kiosk.soldOut')}
              </span>
            </button>
          )}
        </For>
      </div>
    </section>
  )
}
