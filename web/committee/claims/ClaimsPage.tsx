import { createResource, createSignal, For, Show } from 'solid-js'
import { declineClaimInput } from '../../../shared/schemas/villager'
import type { Claim } from '../../../shared/types/villager'
import { claims as claimsApi } from '../../api/claims'
import { rules as rulesApi } from '../../api/rules'
import { fmtDateTime, t } from '../../i18n'
import { hasRole, villageId } from '../../session'
import { askText } from '../../ui/ask'
import { Loaded } from '../../ui/Loaded'
import { ErrorMessage, Message } from '../../ui/Message'

type Status = 'submitted' | 'accepted' | 'declined'

/** A claim's photo: fetched with the login (an <img src> cannot send it). */
function ClaimPhoto(props: { id: string }) {
  const [url] = createResource(async () => URL.createObjectURL(await claimsApi.photo(props.id)))
  return (
    <Show when={url()}>
      <a href={url()} target="_blank" rel="noopener">
        <img src={url()} alt={t('claims.photo')} style={{ height: '120px', border: '2px solid #000' }} />
      </a>
    </Show>
  )
}

/**
 * 村民申报: the deeds households reported from their phones. The clerk accepts one with a rule (it becomes an
 * award proposal, approved and publicised as usual) or declines it with a reply the household reads.
 */
export default function ClaimsPage() {
  const [status, setStatus] = createSignal<Status>('submitted')
  const [claims, { refetch }] = createResource(
    () => [villageId(), status()] as const,
    ([v, s]) => claimsApi.list(v!, { status: s, limit: 200 }),
  )
  const [rules] = createResource(villageId, async (v) => ({
    items: (await rulesApi.list(v)).items.filter((r) => r.active),
  }))
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')
  const [picked, setPicked] = createSignal<Record<string, string>>({})
  const clerk = () => hasRole('clerk')

  /** Sends the clerk's answer and shows what became of the claim. */
  async function answer(c: Claim, send: () => Promise<unknown>, done: string) {
    setError(null)
    try {
      await send()
      setNotice(`${done}: ${c.householdNo} ${c.headName}`)
      void refetch()
    } catch (e) {
      setError(e)
    }
  }

  function accept(c: Claim) {
    const ruleId = picked()[c.id] ?? c.ruleId
    if (ruleId) void answer(c, () => claimsApi.accept(c.id, { ruleId }), t('claims.accepted'))
  }

  async function decline(c: Claim) {
    const reply = await askText(t('claims.reply'), { schema: declineClaimInput, field: 'reply' })
    if (reply) await answer(c, () => claimsApi.decline(c.id, reply), t('claims.declined'))
  }

  return (
    <section>
      <h1>{t('claims.title')}</h1>
      <div class="row">
        <For each={['submitted', 'accepted', 'declined'] as Status[]}>
          {(s) => (
            <button
              type="button"
              classList={{ primary: status() === s }}
              aria-pressed={status() === s}
              onClick={() => setStatus(s)}
            >
              {t(`me.claims.status.${s}`)}
            </button>
          )}
        </For>
      </div>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <ErrorMessage error={error()} />
      <Loaded resource={claims} retry={refetch}>
        {(page) => (
          <For each={page.items} fallback={<p class="muted">{t('claims.empty')}</p>}>
            {(c) => (
              <article class="card" data-claim={c.id}>
                <h2>
                  {c.householdNo} {c.headName}
                  <Show when={c.memberName}> · {c.memberName}</Show>
                </h2>
                <p>{c.description}</p>
                <p class="muted">
                  {t('claims.occurredOn')}: {c.occurredOn} · {fmtDateTime(c.submittedAt)}
                </p>
                <Show when={c.hasPhoto}>
                  <ClaimPhoto id={c.id} />
                </Show>
                <Show when={c.reply}>
                  <p>
                    <b>{t('claims.reply')}:</b> {c.reply} ({c.decidedBy}, {c.decidedAt ? fmtDateTime(c.decidedAt) : ''})
                  </p>
                </Show>
                <Show when={c.awardId}>
                  <p class="muted">
                    {t('claims.award')}: {c.ruleName} ({c.awardId})
                  </p>
                </Show>
                <Show when={c.status === 'submitted' && clerk()}>
                  <div class="row">
                    <label>
                      {t('claims.rule')}{' '}
                      <select
                        value={picked()[c.id] ?? c.ruleId ?? ''}
                        onChange={(e) => setPicked({ ...picked(), [c.id]: e.currentTarget.value })}
                      >
                        <option value="">—</option>
                        <For each={(rules()?.items ?? []).filter((r) => r.points > 0)}>
                          {(r) => <option value={r.id}>{`${r.code} ${r.name} (+${r.points})`}</option>}
                        </For>
                      </select>
                    </label>
                    <button
                      type="button"
                      class="primary"
                      disabled={!(picked()[c.id] ?? c.ruleId)}
                      onClick={() => accept(c)}
                    >
                      {t('claims.accept')}
                    </button>
                    <button type="button" class="danger" onClick={() => void decline(c)}>
                      {t('claims.decline')}
                    </button>
                  </div>
                </Show>
              </article>
            )}
          </For>
        )}
      </Loaded>
    </section>
  )
}
