import { createResource, createSignal, For, Show } from 'solid-js'
import type { Product } from '../../../shared/types/supermarket'
import { api, type Page } from '../../api'
import { fmt, t } from '../../i18n'
import { hasRole, villageId } from '../../session'
import { Loaded } from '../../ui/Loaded'
import { ErrorMessage, Message } from '../../ui/Message'

export const fetchProducts = (vid: string) => api.get<Page<Product>>(`/api/villages/${vid}/products?limit=500`).then((p) => p.items)

const EMPTY = { sku: '', name: '', category: '', pointsPrice: '', unit: '', barcode: '', lowStockThreshold: '' }

/** The supermarket's goods: price in points, category for the counter's tabs, barcode for the scanner. */
export default function ProductsPage() {
  const [products, { refetch }] = createResource(villageId, fetchProducts)
  const [form, setForm] = createSignal({ ...EMPTY })
  const [editing, setEditing] = createSignal<string | null>(null)
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')
  const set = (k: keyof typeof EMPTY, v: string) => setForm({ ...form(), [k]: v })
  const canEdit = () => hasRole('cashier', 'clerk')

  function edit(p: Product) {
    setEditing(p.id)
    setForm({
      sku: p.sku, name: p.name, category: p.category ?? '', pointsPrice: String(p.pointsPrice), unit: p.unit ?? '',
      barcode: p.barcode ?? '', lowStockThreshold: String(p.lowStockThreshold ?? 0),
    })
  }
  async function save(e: Event) {
    e.preventDefault()
    const f = form()
    const body = {
      name: f.name.trim(), category: f.category.trim() || null, pointsPrice: Number(f.pointsPrice), unit: f.unit.trim() || null,
      barcode: f.barcode.trim() || null, lowStockThreshold: Number(f.lowStockThreshold || 0),
    }
    setError(null)
    try {
      if (editing()) await api.patch(`/api/products/${editing()}`, body)
      else await api.post(`/api/villages/${villageId()}/products`, { ...body, sku: f.sku.trim() })
      setNotice(editing() ? t('app.saved') : t('products.created'))
      setEditing(null)
      setForm({ ...EMPTY })
      void refetch()
    } catch (err) {
      setError(err)
    }
  }
  async function toggle(p: Product) {
    try {
      await api.patch(`/api/products/${p.id}`, { active: p.active === false })
      void refetch()
    } catch (err) {
      setError(err)
    }
  }

  return (
    <section>
      <h1>{t('products.title')}</h1>
      <Show when={canEdit()}>
        <form class="form card" onSubmit={save}>
          <label>{t('products.sku')}<input required disabled={!!editing()} value={form().sku} onInput={(e) => set('sku', e.currentTarget.value)} /></label>
          <label>{t('products.name')}<input required value={form().name} onInput={(e) => set('name', e.currentTarget.value)} /></label>
          <label>{t('products.category')}<input value={form().category} onInput={(e) => set('category', e.currentTarget.value)} /></label>
          <label>{t('products.price')}<input required type="number" min="1" step="1" value={form().pointsPrice} onInput={(e) => set('pointsPrice', e.currentTarget.value)} /></label>
          <label>{t('products.unit')}<input value={form().unit} onInput={(e) => set('unit', e.currentTarget.value)} /></label>
          <label>{t('products.barcode')}<input value={form().barcode} onInput={(e) => set('barcode', e.currentTarget.value)} /></label>
          <label>{t('products.low')}<input type="number" min="0" step="1" value={form().lowStockThreshold} onInput={(e) => set('lowStockThreshold', e.currentTarget.value)} /></label>
          <div class="row">
            <button type="submit" class="primary">{editing() ? t('app.save') : t('products.new')}</button>
            <Show when={editing()}><button type="button" onClick={() => (setEditing(null), setForm({ ...EMPTY }))}>{t('app.cancel')}</button></Show>
          </div>
        </form>
      </Show>
      <Show when={notice()}><Message kind="ok">{notice()}</Message></Show>
      <ErrorMessage error={error()} />
      <Loaded resource={products} retry={refetch}>
        {(list) => (
          <table>
            <thead>
              <tr>
                <th>{t('products.sku')}</th><th>{t('products.name')}</th><th>{t('products.category')}</th><th class="num">{t('products.price')}</th>
                <th class="num">{t('products.stock')}</th><th>{t('products.barcode')}</th><th />
              </tr>
            </thead>
            <tbody>
              <For each={list} fallback={<tr><td colspan="7" class="muted">{t('app.none')}</td></tr>}>
                {(p) => (
                  <tr classList={{ muted: p.active === false }}>
                    <td>{p.sku}</td>
                    <td>{p.name}</td>
                    <td>{p.category ?? ''}</td>
                    <td class="num">{fmt(p.pointsPrice)}</td>
                    <td class={`num ${p.lowStockThreshold && p.stock <= p.lowStockThreshold ? 'minus' : ''}`}>{fmt(p.stock)}{p.unit ? ` ${p.unit}` : ''}</td>
                    <td>{p.barcode ?? ''}</td>
                    <td>
                      <Show when={canEdit()}>
                        <div class="row">
                          <button type="button" onClick={() => edit(p)}>{t('households.edit')}</button>
                          <button type="button" onClick={() => void toggle(p)}>{p.active === false ? t('rules.activate') : t('rules.deactivate')}</button>
                        </div>
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        )}
      </Loaded>
    </section>
  )
}
