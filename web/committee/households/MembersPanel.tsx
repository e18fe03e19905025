import { createSignal, For, Show } from 'solid-js'
import { memberInput } from '../../../shared/schemas/households'
import type { Household, Member } from '../../../shared/types/households'
import { households } from '../../api/households'
import { locale, t } from '../../i18n'
import { hasRole } from '../../session'
import { FieldError, FormProblems } from '../../ui/FieldError'
import { createFieldErrors } from '../../ui/form'
import { ErrorMessage } from '../../ui/Message'

const FIELDS = ['name', 'relation'] as const

const day = (iso: string) =>
  new Date(iso).toLocaleDateString(locale(), { year: 'numeric', month: '2-digit', day: '2-digit' })

/**
 * A household's members. A removed member stays listed, greyed, with the day they left: the roster keeps its
 * history (the server never deletes the row). The clerk adds and removes members here.
 */
export function MembersPanel(props: { household: Household; onChanged: (h: Household) => void }) {
  const [name, setName] = createSignal('')
  const [relation, setRelation] = createSignal('')
  const form = createFieldErrors(FIELDS)
  const clerk = () => hasRole('clerk')
  const members = () => props.household.members ?? []

  async function add(e: Event) {
    e.preventDefault()
    const body = form.check(memberInput, { name: name(), relation: relation().trim() || null })
    if (!body) return
    await form.send(async () => {
      props.onChanged(await households.addMember(props.household.id, body))
      setName('')
      setRelation('')
    })
  }

  async function markParty(m: Member, on: boolean) {
    await form.send(async () =>
      props.onChanged(await households.updateMember(props.household.id, m.id, { partyMember: on })),
    )
  }

  async function remove(m: Member) {
    if (!window.confirm(t('members.confirmRemove', { name: m.name }))) return
    await form.send(async () => props.onChanged(await households.removeMember(props.household.id, m.id)))
  }

  return (
    <section data-testid="members">
      <h2>{t('households.members')}</h2>
      <table>
        <thead>
          <tr>
            <th>{t('members.name')}</th>
            <th>{t('members.relation')}</th>
            <th>{t('tags.party')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For
            each={members()}
            fallback={
              <tr>
                <td colspan="4" class="muted">
                  {t('app.none')}
                </td>
              </tr>
            }
          >
            {(m) => (
              <tr
                data-member={m.name}
                data-removed={m.removedAt ? 'true' : undefined}
                class={m.removedAt ? 'muted' : undefined}
              >
                <td>{m.name}</td>
                <td>{m.relation ?? '—'}</td>
                <td>
                  <Show when={clerk() && !m.removedAt} fallback={m.partyMember ? t('tags.party') : ''}>
                    <input
                      type="checkbox"
                      aria-label={`${m.name} ${t('tags.party')}`}
                      checked={m.partyMember}
                      onChange={(e) => void markParty(m, e.currentTarget.checked)}
                    />
                  </Show>
                </td>
                <td>
                  <Show
                    when={m.removedAt}
                    fallback={
                      <Show when={clerk()}>
                        <button type="button" class="danger" onClick={() => void remove(m)}>
                          {t('members.remove')}
                        </button>
                      </Show>
                    }
                  >
                    {(at) => <span>{t('members.removed', { date: day(at()) })}</span>}
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={clerk()}>
        <form class="form" noValidate onSubmit={add}>
          <label>
            {t('members.name')}
            <input
              name="name"
              maxLength={32}
              aria-invalid={!!form.of('name')}
              value={name()}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            <FieldError form={form} name="name" />
          </label>
          <label>
            {t('members.relation')}
            <input
              name="relation"
              maxLength={16}
              aria-invalid={!!form.of('relation')}
              value={relation()}
              onInput={(e) => setRelation(e.currentTarget.value)}
            />
            <FieldError form={form} name="relation" />
          </label>
          <FormProblems form={form} />
          <div class="row">
            <button type="submit" disabled={form.busy()}>
              {t('members.add')}
            </button>
          </div>
        </form>
      </Show>
      <ErrorMessage error={form.error()} fieldsShown />
    </section>
  )
}
