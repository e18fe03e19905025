import { A, useSearchParams } from '@solidjs/router'
import { createSignal, For, Show } from 'solid-js'
import type { Household } from '../../../shared/types/households'
import { cards } from '../../api/cards'
import { households } from '../../api/households'
import { fmt, t } from '../../i18n'
import { hasRole, villageId } from '../../session'
import { ErrorMessage, Message } from '../../ui/Message'
import { HouseholdForm } from './HouseholdForm'
import { TagFilter } from '../../ui/TagFilter'

export default function HouseholdsPage() {
  const [q, setQ] = createSignal('')
  const [params] = useSearchParams()
  const [tag, setTag] = createSignal(typeof params.tag === 'string' ? params.tag : '')
  const [items, setItems] = createSignal<Household[]>([])
  const [cursor, setCursor] = createSignal<string | null>(null)
  const [error, setError] = createSignal<unknown>(null)
  const [loading, setLoading] = createSignal(false)
  const [ticked, setTicked] = createSignal<Set<string>>(new Set())
  const [creating, setCreating] = createSignal(false)
  const [notice, setNotice] = createSignal('')
  let timer: ReturnType<typeof setTimeout> | undefined

  async function load(more = false) {
    setLoading(true)
    setError(null)
    try {
      const page = await households.list(villageId()!, {
        q: q().trim(),
        tag: tag() || undefined,
        limit: 100,
        cursor: more ? cursor() : undefined,
      })
      setItems(more ? [...items(), ...page.items] : page.items)
      setCursor(page.nextCursor)
    } catch (e) {
      setError(e)
    } finally {
      setLoading(false)
    }
  }
  void load()

  function search(value: string) {
    setQ(value)
    clearTimeout(timer)
    timer = setTimeout(() => void load(), 300)
  }
  function tick(id: string, on: boolean) {
    const next = new Set(ticked())
    if (on) next.add(id)
    else next.delete(id)
    setTicked(next)
  }
  async function printCards(scope?: 'all' | 'withoutCard') {
    try {
      await (scope ? cards.printScope(villageId()!, scope) : cards.print(villageId()!, [...ticked()]))
    } catch (e) {
      setNotice('')
      setError(e)
    }
  }
  /** Ticks every household of the list, the pages not yet shown too (loaded first), or unticks them all (issue 17). */
  const allTicked = () => items().length > 0 && !cursor() && items().every((h) => ticked().has(h.id))
  async function tickAll(on: boolean) {
    if (!on) return setTicked(new Set<string>())
    while (cursor() && !error()) await load(true)
    setTicked(new Set(items().map((h) => h.id)))
  }

  return (
    <section>
      <h1>{t('households.title')}</h1>
      <div class="row">
        <input
          type="search"
          style={{ flex: 1, 'min-width': '240px' }}
          placeholder={t('households.search')}
          aria-label={t('households.search')}
          value={q()}
          onInput={(e) => search(e.currentTarget.value)}
        />
        <TagFilter
          value={tag()}
          onChange={(v) => {
            setTag(v)
            void load()
          }}
        />
        <Show when={hasRole('clerk')}>
          <button type="button" class="primary" onClick={() => setCreating(!creating())}>
            {t('households.new')}
          </button>
          <A class="button" href="/households/import">
            {t('households.import')}
          </A>
        </Show>
      </div>
      <Show when={hasRole('clerk')}>
        <div class="row">
          <button type="button" onClick={() => void printCards('withoutCard')}>
            {t('households.printWithoutCard')}
          </button>
          <button type="button" onClick={() => void printCards('all')}>
            {t('households.printAll')}
          </button>
        </div>
      </Show>
      <Show when={creating()}>
        <div class="card">
          <HouseholdForm
            onSaved={(h) => {
              setCreating(false)
              setNotice(t('households.created', { no: h.householdNo }))
              void load()
            }}
            onCancel={() => setCreating(false)}
          />
        </div>
      </Show>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <ErrorMessage error={error()} onRetry={() => void load()} />
      <Show when={hasRole('clerk') && ticked().size > 0}>
        <div class="row card">
          <b>{t('households.selected', { n: ticked().size })}</b>
          <button type="button" class="primary" onClick={() => void printCards()}>
            {t('households.printCards')}
          </button>
          <button type="button" onClick={() => void tickAll(false)}>
            {t('awards.untickAll')}
          </button>
        </div>
      </Show>
      <table>
        <thead>
          <tr>
            <th>
              <Show when={hasRole('clerk')}>
                <input
                  type="checkbox"
                  aria-label={t('households.tickAll')}
                  checked={allTicked()}
                  onChange={(e) => void tickAll(e.currentTarget.checked)}
                />
              </Show>
            </th>
            <th>{t('households.no')}</th>
            <th>{t('households.head')}</th>
            <th>{t('households.phone')}</th>
            <th>{t('households.address')}</th>
            <th>{t('tags.title')}</th>
            <th class="num">{t('households.balance')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For each={items()}>
            {(h) => (
              <tr>
                <td>
                  <Show when={hasRole('clerk')}>
                    <input
                      type="checkbox"
                      aria-label={h.headName}
                      checked={ticked().has(h.id)}
                      onChange={(e) => tick(h.id, e.currentTarget.checked)}
                    />
                  </Show>
                </td>
                <td>{h.householdNo}</td>
                <td>
                  <A href={`/households/${h.id}`}>{h.headName}</A>
                </td>
                <td>{h.phone ?? ''}</td>
                <td>{h.address ?? ''}</td>
                <td>
                  <For each={h.tags}>{(tag) => <span class="tag">{tag}</span>}</For>
                </td>
                <td class="num">{fmt(h.balance)}</td>
                <td>
                  <A href={`/households/${h.id}`}>{t('households.details')}</A>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={!loading() && items().length === 0 && !error()}>
        <p class="muted">{t('app.none')}</p>
      </Show>
      <Show when={loading()}>
        <p class="muted">{t('app.loading')}</p>
      </Show>
      <Show when={cursor() && !loading()}>
        <button type="button" onClick={() => void load(true)}>
          {t('app.more')}
        </button>
      </Show>
    </section>
  )
}
