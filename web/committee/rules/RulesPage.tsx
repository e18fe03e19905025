import { createResource, createSignal, For, Show } from 'solid-js'
import { createRuleInput, PERIODS, type Period } from '../../../shared/schemas/rules'
import type { Rule } from '../../../shared/types/rules'
import { rules as rulesApi } from '../../api/rules'
import { fmt, t } from '../../i18n'
import { hasRole, villageId } from '../../session'
import { Loaded } from '../../ui/Loaded'
import { FieldError, FormProblems } from '../../ui/FieldError'
import { createFieldErrors, numberField } from '../../ui/form'
import { ErrorMessage, Message } from '../../ui/Message'

export const fetchRules = (vid: string) => rulesApi.list(vid).then((p) => p.items)

export function limitText(r: Rule): string {
  return r.limit ? `${t(`rules.period.${r.limit.period}`)} ${r.limit.count}` : t('rules.limitNone')
}

export default function RulesPage() {
  const [rules, { refetch }] = createResource(villageId, fetchRules)
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')
  const [form, setForm] = createSignal({
    code: '',
    name: '',
    category: '',
    points: '',
    count: '',
    period: 'month' as Period,
    evidence: '',
  })
  const set = (k: keyof ReturnType<typeof form>, v: string) => setForm({ ...form(), [k]: v })
  const fields = createFieldErrors(['code', 'name', 'category', 'points', 'limit.count', 'limit.period', 'evidence'])
  const invalid = (name: string) => ({ 'aria-invalid': !!fields.of(name) })

  async function act(fn: () => Promise<unknown>, ok: string) {
    setError(null)
    setNotice('')
    try {
      await fn()
      setNotice(ok)
      void refetch()
    } catch (e) {
      fields.fromServer(e)
      setError(e)
    }
  }
  function create(e: Event) {
    e.preventDefault()
    const f = form()
    const body = fields.check(createRuleInput, {
      code: f.code,
      name: f.name,
      category: f.category,
      points: numberField(f.points),
      limit: f.count.trim() ? { count: numberField(f.count), period: f.period } : null,
      evidence: f.evidence.trim() || null,
    })
    if (body) void act(() => rulesApi.create(villageId()!, body), t('app.saved'))
  }

  return (
    <section>
      <h1>{t('rules.title')}</h1>
      <Show when={hasRole('clerk')}>
        <div class="row">
          <button
            type="button"
            onClick={() => void act(() => rulesApi.addStarter(villageId()!), t('rules.starterDone'))}
          >
            {t('rules.starter')}
          </button>
        </div>
        <details class="card">
          <summary>
            <b>{t('rules.new')}</b>
          </summary>
          <form class="form" noValidate onSubmit={create}>
            <label>
              {t('rules.code')}
              <input
                required
                {...invalid('code')}
                value={form().code}
                onInput={(e) => set('code', e.currentTarget.value)}
              />
              <FieldError form={fields} name="code" />
            </label>
            <label>
              {t('rules.name')}
              <input
                required
                {...invalid('name')}
                value={form().name}
                onInput={(e) => set('name', e.currentTarget.value)}
              />
              <FieldError form={fields} name="name" />
            </label>
            <label>
              {t('rules.category')}
              <input
                required
                {...invalid('category')}
                value={form().category}
                onInput={(e) => set('category', e.currentTarget.value)}
              />
              <FieldError form={fields} name="category" />
            </label>
            <label>
              {t('rules.points')}
              <input
                required
                type="number"
                step="1"
                {...invalid('points')}
                value={form().points}
                onInput={(e) => set('points', e.currentTarget.value)}
              />
              <FieldError form={fields} name="points" />
            </label>
            <label>
              {t('rules.limitCount')}
              <input
                type="number"
                step="1"
                {...invalid('limit.count')}
                placeholder={t('rules.limitNone')}
                value={form().count}
                onInput={(e) => set('count', e.currentTarget.value)}
              />
              <FieldError form={fields} name="limit.count" />
            </label>
            <label>
              {t('rules.limit')}
              <select value={form().period} onChange={(e) => set('period', e.currentTarget.value)}>
                <For each={PERIODS}>{(p) => <option value={p}>{t(`rules.period.${p}`)}</option>}</For>
              </select>
              <FieldError form={fields} name="limit.period" />
            </label>
            <label>
              {t('rules.evidence')}
              <input
                {...invalid('evidence')}
                value={form().evidence}
                onInput={(e) => set('evidence', e.currentTarget.value)}
              />
              <FieldError form={fields} name="evidence" />
            </label>
            <FormProblems form={fields} />
            <button type="submit" class="primary">
              {t('app.save')}
            </button>
          </form>
        </details>
      </Show>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <ErrorMessage error={error()} fieldsShown />
      <Loaded resource={rules} retry={refetch}>
        {(list) => (
          <table>
            <thead>
              <tr>
                <th>{t('rules.code')}</th>
                <th>{t('rules.category')}</th>
                <th>{t('rules.name')}</th>
                <th class="num">{t('ledger.amount')}</th>
                <th>{t('rules.limit')}</th>
                <th>{t('rules.evidence')}</th>
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
                {(r) => (
                  <tr classList={{ muted: !r.active }}>
                    <td>{r.code}</td>
                    <td>{r.category}</td>
                    <td>{r.name}</td>
                    <td class={`num ${r.points > 0 ? 'plus' : 'minus'}`}>
                      {r.points > 0 ? '+' : ''}
                      {fmt(r.points)}
                    </td>
                    <td>{limitText(r)}</td>
                    <td>{r.evidence ?? ''}</td>
                    <td>
                      <Show when={hasRole('clerk')} fallback={r.active ? t('rules.active') : t('rules.inactive')}>
                        <button
                          type="button"
                          onClick={() => void act(() => rulesApi.update(r.id, { active: !r.active }), t('app.saved'))}
                        >
                          {r.active ? t('rules.deactivate') : t('rules.activate')}
                        </button>
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
