import { createResource, createSignal, For, Show } from 'solid-js'
import { createProductInput, updateProductInput } from '../../../shared/schemas/supermarket'
import type { Product } from '../../../shared/types/supermarket'
import { products as productsApi } from '../../api/supermarket'
import { fmt, t } from '../../i18n'
import { hasRole, villageId } from '../../session'
import { FieldError, FormProblems } from '../../ui/FieldError'
import { createFieldErrors, numberField } from '../../ui/form'
import { Loaded } from '../../ui/Loaded'
import { ErrorMessage, Message } from '../../ui/Message'

export const fetchProducts = (vid: string) => productsApi.list(vid).then((p) => p.items)

const EMPTY = { sku: '', name: '', category: '', pointsPrice: '', unit: '', barcode: '', lowStockThreshold: '' }

/** The supermarket's goods: price in points, category for the counter's tabs, barcode for the scanner. */
export default function ProductsPage() {
  const [products, { refetch }] = createResource(villageId, fetchProducts)
  const [form, setForm] = createSignal({ ...EMPTY })
  const [editing, setEditing] = createSignal<string | null>(null)
  const [notice, setNotice] = createSignal('')
  const set = (k: keyof typeof EMPTY, v: string) => setForm({ ...form(), [k]: v })
  const canEdit = () => hasRole('cashier', 'clerk')
  const fields = createFieldErrors(Object.keys(EMPTY))
  /** An input of the form: its value, its problem marked, and where typing goes. */
  const input = (k: keyof typeof EMPTY) => ({
    value: form()[k],
    'aria-invalid': !!fields.of(k),
    onInput: (e: { currentTarget: HTMLInputElement }) => set(k, e.currentTarget.value),
  })

  function edit(p: Product) {
    setEditing(p.id)
    setForm({
      sku: p.sku,
      name: p.name,
      category: p.category ?? '',
      pointsPrice: String(p.pointsPrice),
      unit: p.unit ?? '',
      barcode: p.barcode ?? '',
      lowStockThreshold: String(p.lowStockThreshold ?? 0),
    })
  }
  async function save(e: Event) {
    e.preventDefault()
    const f = form()
    const fieldsOfBoth = {
      name: f.name,
      category: f.category.trim() || null,
      pointsPrice: numberField(f.pointsPrice),
      unit: f.unit.trim() || null,
      barcode: f.barcode.trim() || null,
      lowStockThreshold: numberField(f.lowStockThreshold) ?? 0,
    }
    const id = editing()
    const update = id ? fields.check(updateProductInput, fieldsOfBoth) : null
    const create = id ? null : fields.check(createProductInput, { ...fieldsOfBoth, sku: f.sku })
    if (!update && !create) return
    await fields.send(async () => {
      if (id && update) await productsApi.update(id, update)
      else if (create) await productsApi.create(villageId()!, create)
      setNotice(editing() ? t('app.saved') : t('products.created'))
      setEditing(null)
      setForm({ ...EMPTY })
      void refetch()
    })
  }
  async function toggle(p: Product) {
    await fields.send(async () => {
      await productsApi.update(p.id, { active: p.active === false })
      void refetch()
    })
  }

  return (
    <section>
      <h1>{t('products.title')}</h1>
      <Show when={canEdit()}>
        <form class="form card" noValidate onSubmit={save}>
          <label>
            {t('products.sku')}
            <input required disabled={!!editing()} {...input('sku')} />
            <FieldError form={fields} name="sku" />
          </label>
          <label>
            {t('products.name')}
            <input required {...input('name')} />
            <FieldError form={fields} name="name" />
          </label>
          <label>
            {t('products.category')}
            <input {...input('category')} />
            <FieldError form={fields} name="category" />
          </label>
          <label>
            {t('products.price')}
            <input required type="number" step="1" {...input('pointsPrice')} />
            <FieldError form={fields} name="pointsPrice" />
          </label>
          <label>
            {t('products.unit')}
            <input {...input('unit')} />
            <FieldError form={fields} name="unit" />
          </label>
          <label>
            {t('products.barcode')}
            <input {...input('barcode')} />
            <FieldError form={fields} name="barcode" />
          </label>
          <label>
            {t('products.low')}
            <input type="number" step="1" {...input('lowStockThreshold')} />
            <FieldError form={fields} name="lowStockThreshold" />
          </label>
          <FormProblems form={fields} />
          <div class="row">
            <button type="submit" class="primary">
              {editing() ? t('app.save') : t('products.new')}
            </button>
            <Show when={editing()}>
              <button type="button" onClick={() => (setEditing(null), setForm({ ...EMPTY }), fields.clear())}>
                {t('app.cancel')}
              </button>
            </Show>
          </div>
        </form>
      </Show>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <ErrorMessage error={fields.error()} fieldsShown />
      <Loaded resource={products} retry={refetch}>
        {(list) => (
          <table>
            <thead>
              <tr>
                <th>{t('products.sku')}</th>
                <th>{t('products.name')}</th>
                <th>{t('products.category')}</th>
                <th class="num">{t('products.price')}</th>
                <th class="num">{t('products.stock')}</th>
                <th>{t('products.barcode')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              <For
                each={list}
                fallback={
                  <tr>
                    <td colspan="7" class="muted">
                      {t('app.none')}
                    </td>
                  </tr>
                }
              >
                {(p) => (
                  <tr classList={{ muted: p.active === false }}>
                    <td>{p.sku}</td>
                    <td>{p.name}</td>
                    <td>{p.category ?? ''}</td>
                    <td class="num">{fmt(p.pointsPrice)}</td>
                    <td class={`num ${p.lowStockThreshold && p.stock <= p.lowStockThreshold ? 'minus' : ''}`}>
                      {fmt(p.stock)}
                      {p.unit ? ` ${p.unit}` : ''}
                    </td>
                    <td>{p.barcode ?? ''}</td>
                    <td>
                      <Show when={canEdit()}>
                        <div class="row">
                          <button type="button" onClick={() => edit(p)}>
                            {t('households.edit')}
                          </button>
                          <button type="button" onClick={() => void toggle(p)}>
                            {p.active === false ? t('rules.activate') : t('rules.deactivate')}
                          </button>
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
