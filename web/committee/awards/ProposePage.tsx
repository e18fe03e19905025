import { createResource, createSignal, For, Show } from 'solid-js'
import { proposeAwardInput } from '../../../shared/schemas/awards'
import type { Household } from '../../../shared/types/households'
import { awards } from '../../api/awards'
import { households } from '../../api/households'
import { fmt, t } from '../../i18n'
import { villageId } from '../../session'
import { FieldError, FormProblems } from '../../ui/FieldError'
import { createFieldErrors } from '../../ui/form'
import { ErrorMessage, Message } from '../../ui/Message'
import { fetchRules } from '../rules/RulesPage'

const today = () => {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** One rule for many households: filter the roster, tick who did it, propose; an approver decides. */
export default function ProposePage() {
  const [rules] = createResource(villageId, (v) => fetchRules(v).then((rs) => rs.filter((r) => r.active)))
  const [q, setQ] = createSignal('')
  const [shown, { refetch }] = createResource(
    () => {
      const v = villageId()
      return v ? { v, q: q() } : null
    },
    (k) => households.list(k.v, { q: k.q.trim(), limit: 500 }).then((p) => p.items),
  )
  const [ticked, setTicked] = createSignal<Set<string>>(new Set())
  const [ruleId, setRuleId] = createSignal('')
  const [occurredOn, setOccurredOn] = createSignal(today())
  const [note, setNote] = createSignal('')
  const [notice, setNotice] = createSignal('')
  const [photos, setPhotos] = createSignal<File[]>([])
  // The member who did the deed (issue 17): offered when one household is ticked; named in the ledger and on the board.
  const [memberId, setMemberId] = createSignal('')
  const onlyOne = () => (ticked().size === 1 ? [...ticked()][0]! : null)
  const [members] = createResource(onlyOne, (id) =>
    households.get(id).then((h) => (h.members ?? []).filter((m) => !m.removedAt)),
  )
  let timer: ReturnType<typeof setTimeout> | undefined

  const tick = (ids: string[], on: boolean) => {
    const next = new Set(ticked())
    for (const id of ids) on ? next.add(id) : next.delete(id)
    setTicked(next)
  }
  const rule = () => rules()?.find((r) => r.id === ruleId())
  const fields = createFieldErrors(['ruleId', 'occurredOn', 'note', 'householdIds'])

  async function submit(e: Event) {
    e.preventDefault()
    setNotice('')
    const member = onlyOne() && members()?.some((m) => m.id === memberId()) ? memberId() : null
    const body = fields.check(proposeAwardInput, {
      ruleId: ruleId(),
      householdIds: [...ticked()],
      occurredOn: occurredOn(),
      note: note().trim() || null,
      memberId: member,
    })
    if (!body) return
    await fields.send(async () => {
      const award = await awards.propose(villageId()!, body)
      // The photos go with the proposal, so the approver sees them beside it (JPEG or PNG, 5 MB each).
      for (const photo of photos()) await awards.addEvidence(award.id, photo)
      setNotice(t('awards.proposed'))
      setPhotos([])
      setTicked(new Set<string>())
      setMemberId('')
      setNote('')
    })
  }

  return (
    <section>
      <h1>{t('awards.proposeTitle')}</h1>
      <form class="form" noValidate onSubmit={submit}>
        <label>
          {t('awards.rule')}
          <select name="rule" required value={ruleId()} onChange={(e) => setRuleId(e.currentTarget.value)}>
            <option value="">{t('awards.chooseRule')}</option>
            <For each={rules() ?? []}>
              {(r) => (
                <option value={r.id}>
                  {r.code} {r.name}（{r.points > 0 ? '+' : ''}
                  {r.points}）
                </option>
              )}
            </For>
          </select>
          <FieldError form={fields} name="ruleId" />
        </label>
        <label>
          {t('awards.occurredOn')}
          <input
            type="date"
            required
            max={today()}
            aria-invalid={!!fields.of('occurredOn')}
            value={occurredOn()}
            onInput={(e) => setOccurredOn(e.currentTarget.value)}
          />
          <FieldError form={fields} name="occurredOn" />
        </label>
        <label>
          {t('awards.note')}
          <input
            value={note()}
            maxLength={500}
            aria-invalid={!!fields.of('note')}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <FieldError form={fields} name="note" />
        </label>
        <Show when={onlyOne() && members()?.length}>
          <label>
            {t('awards.member')}
            <select name="member" value={memberId()} onChange={(e) => setMemberId(e.currentTarget.value)}>
              <option value="">{t('awards.memberNone')}</option>
              <For each={members() ?? []}>
                {(m) => (
                  <option value={m.id}>
                    {m.name}
                    {m.relation ? `（${m.relation}）` : ''}
                  </option>
                )}
              </For>
            </select>
          </label>
        </Show>
        <label>
          {t('awards.evidence')}
          <input
            type="file"
            name="photos"
            accept="image/jpeg,image/png"
            multiple
            onChange={(e) => setPhotos([...(e.currentTarget.files ?? [])])}
          />
        </label>
        <div>
          <button type="submit" class="primary" disabled={fields.busy() || !ruleId() || ticked().size === 0}>
            {t('awards.submit', { n: ticked().size })}
          </button>
          <FieldError form={fields} name="householdIds" />
        </div>
        <FormProblems form={fields} />
      </form>
      <Show when={rule()}>
        {(r) => (
          <p class="muted">
            {r().category} · {r().name} · {t('app.points', { n: fmt(r().points) })}
          </p>
        )}
      </Show>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <ErrorMessage error={fields.error() ?? rules.error} fieldsShown={!!fields.error()} />
      <div class="row">
        <input
          type="search"
          aria-label={t('awards.filter')}
          placeholder={t('awards.filter')}
          style={{ flex: 1 }}
          onInput={(e) => {
            const v = e.currentTarget.value
            clearTimeout(timer)
            timer = setTimeout(() => setQ(v), 300)
          }}
        />
        <button
          type="button"
          onClick={() =>
            tick(
              (shown() ?? []).map((h) => h.id),
              true,
            )
          }
        >
          {t('awards.tickAll')}
        </button>
        <button type="button" onClick={() => setTicked(new Set<string>())}>
          {t('awards.untickAll')}
        </button>
        <b>{t('households.selected', { n: ticked().size })}</b>
      </div>
      <ErrorMessage error={shown.error} onRetry={refetch} />
      <table>
        <thead>
          <tr>
            <th />
            <th>{t('households.no')}</th>
            <th>{t('households.head')}</th>
            <th>{t('households.address')}</th>
            <th class="num">{t('households.balance')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={shown() ?? []}>
            {(h) => (
              <tr>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${h.householdNo} ${h.headName}`}
                    checked={ticked().has(h.id)}
                    onChange={(e) => tick([h.id], e.currentTarget.checked)}
                  />
                </td>
                <td>{h.householdNo}</td>
                <td>{h.headName}</td>
                <td>{h.address ?? ''}</td>
                <td class="num">{fmt(h.balance)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  )
}
