import { createResource, createSignal, For, Show } from 'solid-js'
import { api } from '../../api'
import { fmt, t } from '../../i18n'
import { villageId } from '../../session'
import { Loaded } from '../../ui/Loaded'
import { ErrorMessage, Message } from '../../ui/Message'
import { fetchProducts } from './ProductsPage'

/** Counting the shelves: the cashier enters what is there; the differences are booked as one stocktake. */
export default function StocktakePage() {
  const [products, { refetch }] = createResource(villageId, fetchProducts)
  const [counts, setCounts] = createSignal<Record<string, string>>({})
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')
  const diffs = () =>
    (products() ?? [])
      .filter((p) => counts()[p.id] !== undefined && counts()[p.id] !== '' && Number(counts()[p.id]) !== p.stock)
      .map((p) => ({ productId: p.id, counted: Number(counts()[p.id]) }))

  async function submit() {
    setError(null)
    try {
      await api.post(`/api/villages/${villageId()}/stock/stocktakes`, { note: t('stocktake.reason'), counts: diffs() })
      setNotice(t('stocktake.saved'))
      setCounts({})
      void refetch()
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section>
      <h1>{t('stocktake.title')}</h1>
      <p>{t('stocktake.help')}</p>
      <Show when={notice()}><Message kind="ok">{notice()}</Message></Show>
      <ErrorMessage error={error()} />
      <Loaded resource={products} retry={refetch}>
        {(list) => (
          <table>
            <thead><tr><th>{t('products.name')}</th><th class="num">{t('stocktake.system')}</th><th>{t('stocktake.counted')}</th><th class="num">{t('stocktake.diff')}</th></tr></thead>
            <tbody>
              <For each={list.filter((p) => p.active !== false)}>
                {(p) => {
                  const diff = () => (counts()[p.id] ? Number(counts()[p.id]) - p.stock : 0)
                  return (
                    <tr>
                      <td>{p.sku} {p.name}</td>
                      <td class="num">{fmt(p.stock)}</td>
                      <td><input type="number" min="0" step="1" style={{ width: '8rem' }} aria-label={p.name} value={counts()[p.id] ?? ''} onInput={(e) => setCounts({ ...counts(), [p.id]: e.currentTarget.value })} /></td>
                      <td class={`num ${diff() > 0 ? 'plus' : diff() < 0 ? 'minus' : ''}`}>{diff() ? (diff() > 0 ? '+' : '') + fmt(diff()) : ''}</td>
                    </tr>
                  )
                }}
              </For>
            </tbody>
          </table>
        )}
      </Loaded>
      <button type="button" class="primary big" disabled={diffs().length === 0} onClick={() => void submit()}>{t('stocktake.submit', { n: diffs().length })}</button>
    </section>
  )
}
