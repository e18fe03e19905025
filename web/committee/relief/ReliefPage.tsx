import { createResource, createSignal, For, Show } from 'solid-js'
import { reliefInput } from '../../../shared/schemas/relief'
import type { ReliefDistribution } from '../../../shared/types/relief'
import { households } from '../../api/households'
import { reliefApi } from '../../api/relief'
import { fmt, fmtDateTime, t } from '../../i18n'
import { villageId } from '../../session'
import { FormProblems } from '../../ui/FieldError'
import { createFieldErrors, numberField } from '../../ui/form'
import { ErrorMessage, Message } from '../../ui/Message'
import { TagFilter } from '../../ui/TagFilter'
import { fetchProducts } from '../supermarket/ProductsPage'

const thisMonth = () => new Date().toISOString().slice(0, 7)

/**
 * The relief shelf (阳光超市, issue 18): goods given free to the households of a category, or to households
 * listed by number; each handing-out prints its sign-off sheet (签领表); the month's relief report beside it.
 */
export default function ReliefPage() {
  const [products] = createResource(villageId, fetchProducts)
  const [recent, { refetch }] = createResource(villageId, (v) => reliefApi.list(v, { limit: 20 }).then((p) => p.items))
  const [quantities, setQuantities] = createSignal<Record<string, string>>({})
  const [tag, setTag] = createSignal('')
  const [numbers, setNumbers] = createSignal('')
  const [note, setNote] = createSignal('')
  const [done, setDone] = createSignal<ReliefDistribution | null>(null)
  const [month, setMonth] = createSignal(thisMonth())
  const [error, setError] = createSignal<unknown>(null)
  const form = createFieldErrors((f) => ['items', 'tag', 'householdIds', 'note'].includes(f) || f.startsWith('items.'))

  /** Household numbers typed by the clerk (spaces or commas), each found exactly. */
  async function idsOf(text: string): Promise<string[] | null> {
    const ids: string[] = []
    for (const no of text.split(/[\s,，、]+/).filter(Boolean)) {
      const hit = (await households.list(villageId()!, { q: no, limit: 5 })).items.find((h) => h.householdNo === no)
      if (!hit) {
        setError(new Error(t('relief.unknownNo', { no })))
        return null
      }
      ids.push(hit.id)
    }
    return ids
  }

  async function submit(e: Event) {
    e.preventDefault()
    setError(null)
    // Goods left empty (or 0) are not given; anything else goes to the schema, which names what is wrong.
    const items = Object.entries(quantities())
      .filter(([, q]) => q.trim() !== '' && q.trim() !== '0')
      .map(([productId, q]) => ({ productId, quantity: numberField(q) }))
    const householdIds = tag() ? undefined : await idsOf(numbers())
    if (householdIds === null) return
    const body = form.check(reliefInput, { items, note: note().trim(), ...(tag() ? { tag: tag() } : { householdIds }) })
    if (!body) return
    await form.send(async () => {
      setDone(await reliefApi.give(villageId()!, body))
      setQuantities({})
      void refetch()
    })
  }

  const goods = (d: { items: { name: string; quantity: number; unit: string | null }[] }) =>
    d.items.map((i) => `${i.name} ${i.quantity}${i.unit ?? ''}`).join('，')
  const run = (f: () => Promise<void>) => f().catch(setError)

  return (
    <section>
      <h1>{t('relief.title')}</h1>
      <p class="muted">{t('relief.hint')}</p>
      <form class="form card" noValidate onSubmit={submit}>
        <h2>{t('relief.goods')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('relief.product')}</th>
              <th class="num">{t('relief.stock')}</th>
              <th>{t('relief.each')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={(products() ?? []).filter((p) => p.active && p.stock > 0)}>
              {(p) => (
                <tr>
                  <td>{p.name}</td>
                  <td class="num">
                    {fmt(p.stock)}
                    {p.unit ?? ''}
                  </td>
                  <td>
                    <input
                      type="number"
                      min="0"
                      inputmode="numeric"
                      aria-label={`${p.name} ${t('relief.each')}`}
                      value={quantities()[p.id] ?? ''}
                      onInput={(e) => setQuantities({ ...quantities(), [p.id]: e.currentTarget.value })}
                    />
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <h2>{t('relief.to')}</h2>
        <div class="row">
          <span>
            {t('relief.byTag')} <TagFilter value={tag()} onChange={setTag} />
          </span>
          <Show when={!tag()}>
            <label style={{ flex: 1 }}>
              {t('relief.byNumbers')}
              <input
                name="numbers"
                value={numbers()}
                placeholder="001 002 015"
                onInput={(e) => setNumbers(e.currentTarget.value)}
              />
            </label>
          </Show>
        </div>
        <label>
          {t('relief.note')}
          <input name="note" maxLength={200} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        <FormProblems form={form} />
        <div class="row">
          <button type="submit" class="primary" disabled={form.busy()}>
            {t('relief.give')}
          </button>
        </div>
      </form>
      <ErrorMessage error={form.error() ?? error()} fieldsShown />
      <Show when={done()}>
        {(d) => (
          <Message kind="ok">
            {t('relief.given', { n: fmt(d().householdCount), goods: goods(d()) })}{' '}
            <button type="button" onClick={() => run(() => reliefApi.printSheet(d().id))}>
              {t('relief.printSheet')}
            </button>
          </Message>
        )}
      </Show>

      <h2>{t('relief.recent')}</h2>
      <table data-testid="relief-list">
        <thead>
          <tr>
            <th>{t('relief.when')}</th>
            <th>{t('relief.note')}</th>
            <th>{t('relief.to')}</th>
            <th>{t('relief.goods')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For
            each={recent() ?? []}
            fallback={
              <tr>
                <td colspan="5" class="muted">
                  {t('app.none')}
                </td>
              </tr>
            }
          >
            {(d) => (
              <tr>
                <td>{fmtDateTime(d.at)}</td>
                <td>{d.note}</td>
                <td>
                  {d.tag ? `${d.tag} · ` : ''}
                  {t('relief.households', { n: fmt(d.householdCount) })}
                </td>
                <td>{goods(d)}</td>
                <td>
                  <button type="button" onClick={() => run(() => reliefApi.printSheet(d.id))}>
                    {t('relief.printSheet')}
                  </button>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>

      <h2>{t('relief.report')}</h2>
      <div class="row">
        <input
          type="month"
          aria-label={t('relief.month')}
          value={month()}
          onInput={(e) => setMonth(e.currentTarget.value)}
        />
        <button type="button" onClick={() => run(() => reliefApi.printReport(villageId()!, month()))}>
          {t('relief.printReport')}
        </button>
        <button type="button" onClick={() => run(() => reliefApi.downloadReport(villageId()!, month()))}>
          {t('relief.csv')}
        </button>
      </div>
    </section>
  )
}
