import { createResource, createSignal, For, Index, Show } from 'solid-js'
import { api, openPrintable, type Page } from '../../api'
import { fmt, fmtDateTime, t } from '../../i18n'
import { villageId } from '../../session'
import { ErrorMessage, Message } from '../../ui/Message'
import { fetchProducts } from './ProductsPage'

interface Receipt {
  id: string
  donor?: string | null
  donorOrg?: string | null
  note?: string | null
  at: string
  items?: { productId: string; name?: string; quantity: number }[]
}

/** Goods in: who gave what. Each receipt adds to stock and can be printed as a thank-you slip. */
export default function DonationsPage() {
  const [products] = createResource(villageId, fetchProducts)
  const [recent, { refetch }] = createResource(villageId, (v) => api.get<Page<Receipt>>(`/api/villages/${v}/stock/receipts?limit=20`).then((p) => p.items))
  const [donor, setDonor] = createSignal('')
  const [note, setNote] = createSignal('')
  const [lines, setLines] = createSignal([{ productId: '', quantity: '1' }])
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')
  const setLine = (i: number, k: 'productId' | 'quantity', v: string) => setLines(lines().map((l, j) => (j === i ? { ...l, [k]: v } : l)))

  async function submit(e: Event) {
    e.preventDefault()
    setError(null)
    const items = lines().filter((l) => l.productId && Number(l.quantity) > 0).map((l) => ({ productId: l.productId, quantity: Number(l.quantity) }))
    try {
      await api.post(`/api/villages/${villageId()}/stock/receipts`, { donor: donor().trim() || null, note: note().trim() || null, items })
      setNotice(t('donations.saved'))
      setLines([{ productId: '', quantity: '1' }])
      setDonor('')
      setNote('')
      void refetch()
    } catch (err) {
      setError(err)
    }
  }

  return (
    <section>
      <h1>{t('donations.title')}</h1>
      <form class="card" onSubmit={submit}>
        <div class="form">
          <label>{t('donations.donor')}<input value={donor()} onInput={(e) => setDonor(e.currentTarget.value)} /></label>
          <label>{t('donations.note')}<input value={note()} onInput={(e) => setNote(e.currentTarget.value)} /></label>
        </div>
        <Index each={lines()}>
          {(l, i) => (
            <div class="form">
              <label>{t('donations.item')}
                <select required value={l().productId} onChange={(e) => setLine(i, 'productId', e.currentTarget.value)}>
                  <option value="" />
                  <For each={products() ?? []}>{(p) => <option value={p.id}>{p.sku} {p.name}</option>}</For>
                </select>
              </label>
              <label>{t('donations.quantity')}<input type="number" min="1" step="1" required value={l().quantity} onInput={(e) => setLine(i, 'quantity', e.currentTarget.value)} /></label>
            </div>
          )}
        </Index>
        <div class="row">
          <button type="button" onClick={() => setLines([...lines(), { productId: '', quantity: '1' }])}>{t('donations.addLine')}</button>
          <button type="submit" class="primary">{t('donations.submit')}</button>
        </div>
      </form>
      <Show when={notice()}><Message kind="ok">{notice()}</Message></Show>
      <ErrorMessage error={error() ?? products.error} />
      <h2>{t('donations.recent')}</h2>
      <ErrorMessage error={recent.error} onRetry={refetch} />
      <table>
        <tbody>
          <For each={recent() ?? []} fallback={<tr><td class="muted">{t('app.none')}</td></tr>}>
            {(r) => (
              <tr>
                <td>{fmtDateTime(r.at)}</td>
                <td>{[r.donor, r.donorOrg].filter(Boolean).join(' · ')}</td>
                <td>{(r.items ?? []).map((i) => `${i.name ?? ''} ×${fmt(i.quantity)}`).join('、')}</td>
                <td>{r.note ?? ''}</td>
                <td><button type="button" onClick={() => void openPrintable(`/api/stock/receipts/${r.id}/print`).catch(setError)}>{t('app.print')}</button></td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  )
}
