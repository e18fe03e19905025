import { createResource, createSignal, For, Index, Show } from 'solid-js'
import { stockReceiptInput } from '../../../shared/schemas/supermarket'
import { stock } from '../../api/supermarket'
import { fmt, fmtDateTime, t } from '../../i18n'
import { villageId } from '../../session'
import { FieldError, FormProblems } from '../../ui/FieldError'
import { createFieldErrors, numberField } from '../../ui/form'
import { ErrorMessage, Message } from '../../ui/Message'
import { fetchProducts } from './ProductsPage'

/** Goods in: who gave what. Each receipt adds to stock and can be printed as a thank-you slip. */
export default function DonationsPage() {
  const [products] = createResource(villageId, fetchProducts)
  const [recent, { refetch }] = createResource(villageId, (v) => stock.receipts(v, { limit: 20 }).then((p) => p.items))
  const [donor, setDonor] = createSignal('')
  const [note, setNote] = createSignal('')
  const [lines, setLines] = createSignal([{ productId: '', quantity: '1' }])
  const [notice, setNotice] = createSignal('')
  const setLine = (i: number, k: 'productId' | 'quantity', v: string) =>
    setLines(lines().map((l, j) => (j === i ? { ...l, [k]: v } : l)))
  // Lines without goods chosen are left out; the others are items.0, items.1, … as the schema names them.
  const filled = () => lines().filter((l) => l.productId)
  const itemField = (i: number, k: 'productId' | 'quantity') =>
    `items.${
      lines()
        .slice(0, i)
        .filter((l) => l.productId).length
    }.${k}`
  const fields = createFieldErrors((f) => ['donor', 'note', 'items'].includes(f) || /^items\.\d+\.quantity$/.test(f))

  async function submit(e: Event) {
    e.preventDefault()
    const items = filled().map((l) => ({ productId: l.productId, quantity: numberField(l.quantity) }))
    const body = fields.check(stockReceiptInput, { donor: donor().trim() || null, note: note().trim() || null, items })
    if (!body) return
    await fields.send(async () => {
      await stock.receive(villageId()!, body)
      setNotice(t('donations.saved'))
      setLines([{ productId: '', quantity: '1' }])
      setDonor('')
      setNote('')
      void refetch()
    })
  }

  return (
    <section>
      <h1>{t('donations.title')}</h1>
      <form class="card" noValidate onSubmit={submit}>
        <div class="form">
          <label>
            {t('donations.donor')}
            <input
              aria-invalid={!!fields.of('donor')}
              value={donor()}
              onInput={(e) => setDonor(e.currentTarget.value)}
            />
            <FieldError form={fields} name="donor" />
          </label>
          <label>
            {t('donations.note')}
            <input aria-invalid={!!fields.of('note')} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
            <FieldError form={fields} name="note" />
          </label>
        </div>
        <Index each={lines()}>
          {(l, i) => (
            <div class="form">
              <label>
                {t('donations.item')}
                <select required value={l().productId} onChange={(e) => setLine(i, 'productId', e.currentTarget.value)}>
                  <option value="" />
                  <For each={products() ?? []}>
                    {(p) => (
                      <option value={p.id}>
                        {p.sku} {p.name}
                      </option>
                    )}
                  </For>
                </select>
              </label>
              <label>
                {t('donations.quantity')}
                <input
                  type="number"
                  step="1"
                  required
                  aria-invalid={!!(l().productId && fields.of(itemField(i, 'quantity')))}
                  value={l().quantity}
                  onInput={(e) => setLine(i, 'quantity', e.currentTarget.value)}
                />
                <Show when={l().productId}>
                  <FieldError form={fields} name={itemField(i, 'quantity')} />
                </Show>
              </label>
            </div>
          )}
        </Index>
        <FormProblems form={fields} />
        <div class="row">
          <button type="button" onClick={() => setLines([...lines(), { productId: '', quantity: '1' }])}>
            {t('donations.addLine')}
          </button>
          <button type="submit" class="primary">
            {t('donations.submit')}
          </button>
          <FieldError form={fields} name="items" />
        </div>
      </form>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <ErrorMessage error={fields.error() ?? products.error} fieldsShown={!!fields.error()} />
      <h2>{t('donations.recent')}</h2>
      <ErrorMessage error={recent.error} onRetry={refetch} />
      <table>
        <tbody>
          <For
            each={recent() ?? []}
            fallback={
              <tr>
                <td class="muted">{t('app.none')}</td>
              </tr>
            }
          >
            {(r) => (
              <tr data-receipt={r.id}>
                <td class="receipt-no">{r.receiptNo ?? ''}</td>
                <td>{fmtDateTime(r.at)}</td>
                <td>{[r.donor, r.donorOrg].filter(Boolean).join(' · ')}</td>
                <td>{(r.items ?? []).map((i) => `${i.name ?? ''} ×${fmt(i.quantity)}`).join('、')}</td>
                <td>{r.note ?? ''}</td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      void fields.send(async () => {
                        await stock.printReceipt(r.id)
                      })
                    }
                  >
                    {t('app.print')}
                  </button>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  )
}
