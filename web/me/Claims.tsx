import { createResource, createSignal, For, Show } from 'solid-js'
import type { MeAccount } from '../../shared/types/villager'
import { messageOf } from '../api/client'
import { villager } from '../api/villager'
import { fmtDateTime, t } from '../i18n'
import { downscalePhoto } from './photo'

const today = () => {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** 申报: ask the committee to recognise a deed, with a photo from the phone's camera; and the answers so far. */
export function Claims(props: { account: MeAccount | undefined }) {
  const [claims, { refetch }] = createResource(() => villager.claims())
  const [rules] = createResource(() => villager.rules())
  const [description, setDescription] = createSignal('')
  const [occurredOn, setOccurredOn] = createSignal(today())
  const [memberId, setMemberId] = createSignal('')
  const [ruleId, setRuleId] = createSignal('')
  const [photo, setPhoto] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  const [message, setMessage] = createSignal<{ ok: boolean; text: string } | null>(null)

  async function pick(file: File | undefined) {
    setPhoto(null)
    if (!file) return
    try {
      setPhoto(await downscalePhoto(file))
    } catch (e) {
      setMessage({ ok: false, text: messageOf(e) })
    }
  }

  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setMessage(null)
    try {
      await villager.submitClaim({
        description: description(),
        occurredOn: occurredOn(),
        memberId: memberId() || undefined,
        ruleId: ruleId() || undefined,
        photo: photo() ?? undefined,
      })
      setDescription('')
      setPhoto(null)
      setMessage({ ok: true, text: t('me.claims.sent') })
      void refetch()
    } catch (err) {
      setMessage({ ok: false, text: messageOf(err) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section>
      <h2>{t('me.claims.new')}</h2>
      <form class="me-form" onSubmit={submit}>
        <label>
          {t('me.claims.description')}
          <textarea
            rows={3}
            maxlength={1000}
            value={description()}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('me.claims.occurredOn')}
          <input type="date" max={today()} value={occurredOn()} onInput={(e) => setOccurredOn(e.currentTarget.value)} />
        </label>
        <Show when={props.account?.household.members.length}>
          <label>
            {t('me.claims.member')}
            <select value={memberId()} onChange={(e) => setMemberId(e.currentTarget.value)}>
              <option value="">{t('me.claims.memberAny')}</option>
              <For each={props.account!.household.members}>{(m) => <option value={m.id}>{m.name}</option>}</For>
            </select>
          </label>
        </Show>
        <label>
          {t('me.claims.rule')}
          <select value={ruleId()} onChange={(e) => setRuleId(e.currentTarget.value)}>
            <option value="">{t('me.claims.ruleAny')}</option>
            <For each={rules()?.items ?? []}>{(r) => <option value={r.id}>{`${r.name} (+${r.points})`}</option>}</For>
          </select>
        </label>
        <label class="me-file">
          {t('me.claims.photo')}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            onChange={(e) => void pick(e.currentTarget.files?.[0])}
          />
        </label>
        <Show when={photo()}>{(src) => <img class="me-photo" src={src()} alt={t('me.claims.photoReady')} />}</Show>
        <button type="submit" class="me-big" disabled={busy() || !description().trim() || !occurredOn()}>
          {t('me.claims.submit')}
        </button>
        <Show when={message()}>
          {(m) => (
            <p class={m().ok ? 'me-note' : 'me-error'} role="status">
              {m().text}
            </p>
          )}
        </Show>
      </form>

      <h2>{t('me.claims.mine')}</h2>
      <Show when={claims()} fallback={<p>{t('app.loading')}</p>}>
        {(c) => (
          <Show when={c().items.length} fallback={<p>{t('me.claims.empty')}</p>}>
            <ul class="me-list">
              <For each={c().items}>
                {(claim) => (
                  <li class="me-entry" data-status={claim.status}>
                    <div class="me-entry-main">
                      <span class="me-entry-what">{claim.description}</span>
                    </div>
                    <div class="me-muted">
                      {claim.occurredOn}
                      {claim.memberName ? ` · ${claim.memberName}` : ''}
                    </div>
                    <div class={`me-status ${claim.status}`}>{t(`me.claims.status.${claim.status}`)}</div>
                    <Show when={claim.reply}>
                      <p class="me-reply">
                        {t('me.claims.reply', {
                          who: claim.decidedBy ?? '',
                          date: claim.decidedAt ? fmtDateTime(claim.decidedAt) : '',
                          text: claim.reply!,
                        })}
                      </p>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  )
}
