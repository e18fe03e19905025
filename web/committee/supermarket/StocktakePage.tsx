import { createResource, createSignal, For, Show } from 'solid-js'
import { stocktakeInput } from '../../../shared/schemas/supermarket'
import { stock } from '../../api/supermarket'
import { fmt, t } from '../../i18n'
import { villageId } from '../../session'
import { FieldError, FormProblems } from '../../ui/FieldError'
import { createFieldErrors } from '../../ui/form'
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
  // A count's problem sits in its product's row: the schema names it counts.<its place among the differences>.
  const countField = (productId: string) => `counts.${diffs().findIndex((d) => d.productId === productId)}.counted`
  const fields = createFieldErrors((f) => /^counts\.\d+\.counted$/.test(f))

  async function submit() {
    setError(null)
    const body = fields.check(stocktakeInput, { note: t('stocktake.reason'), counts: diffs() })
    if (!body) return
    try {
      await stock.stocktake(villageId()!, body)
      setNotice(t('stocktake.saved'))
      setCounts({})
      void refetch()
    } catch (e) {
      fields.fromServer(e)
      setError(e)
    }
  }

  return (
    <section>
      <h1>{t('stocktake.title')}</h1>
      <p>{t('stocktake.help')}</p>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <ErrorMessage error={error()} fieldsShown />
      <FormProblems form={fields} />
      <Loaded resource={products} retry={refetch}>
        {(list) => (
          <table>
            <thead>
              <tr>
                <th>{t('products.name')}</th>
                <th class="num">{t('stocktake.system')}</th>
                <th>{t('stocktake.counted')}</th>
                <th class="num">{t('stocktake.diff')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={list.filter((p) => p.active !== false)}>
                {(p) => {
                  const diff = () => (counts()[p.id] ? Number(counts()[p.id]) - p.stock : 0)
                  return (
                    <tr>
                      <td>
                        {p.sku} {p.name}
                      </td>
                      <td class="num">{fmt(p.stock)}</td>
                      <td>
                        <input
                          type="number"
                          min="0"
                          step="1"
                          style={{ width: '8rem' }}
                          aria-label={p.name}
                          aria-invalid={!!fields.of(countField(p.id))}
                          value={counts()[p.id] ?? ''}
                          onInput={(e) => setCounts({ ...counts(), [p.id]: e.currentTarget.value })}
                        />
                        <FieldError form={fields} name={countField(p.id)} />
                      </td>
                      <td class={`num ${diff() > 0 ? 'plus' : diff() < 0 ? 'minus' : ''}`}>
                        {diff() ? (diff() > 0 ? '+' : '') + fmt(diff()) : ''}
                      </td>
                    </tr>
                  )
                }}
              </For>
            </tbody>
          </table>
        )}
      </Loaded>
      <button type="button" class="primary big" disabled={diffs().length === 0} onClick={() => void submit()}>
        {t('stocktake.submit', { n: diffs().length })}
      </button>
    </section>
  )
}
