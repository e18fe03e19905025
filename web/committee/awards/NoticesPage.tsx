import { createResource, createSignal, For, Show } from 'solid-js'
import { objectionInput, reasonInput } from '../../../shared/schemas/awards'
import { awards } from '../../api/awards'
import { t } from '../../i18n'
import { hasRole, villageId } from '../../session'
import type { AwardDetail } from '../../../shared/types/awards'
import { askText } from '../../ui/ask'
import { Loaded } from '../../ui/Loaded'
import { ErrorMessage, Message } from '../../ui/Message'
import { AwardCard } from './AwardCard'

/** Awards on public notice: objections are recorded here; an approver may withdraw one before it posts. */
export default function NoticesPage() {
  const [notices, { refetch }] = createResource(villageId, (v) => awards.notices(v).then((p) => p.items))
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')

  async function act(a: AwardDetail, kind: 'objections' | 'withdraw') {
    const text =
      kind === 'objections'
        ? await askText(t('awards.objectionText'), { schema: objectionInput, field: 'text' })
        : await askText(t('awards.withdrawReason'), { schema: reasonInput, field: 'reason' })
    if (!text) return
    setError(null)
    try {
      await (kind === 'objections' ? awards.object(a.id, text) : awards.withdraw(a.id, text))
      setNotice(kind === 'objections' ? t('awards.objectionSaved') : t('awards.withdrawn'))
      void refetch()
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section>
      <h1>{t('awards.noticesTitle')}</h1>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <ErrorMessage error={error()} />
      <Loaded resource={notices} retry={refetch}>
        {(list) => (
          <For each={list} fallback={<p class="muted">{t('app.none')}</p>}>
            {(a) => (
              <AwardCard award={a}>
                <button type="button" onClick={() => void act(a, 'objections')}>
                  {t('awards.objection')}
                </button>
                <Show when={hasRole('approver')}>
                  <button type="button" class="danger" onClick={() => void act(a, 'withdraw')}>
                    {t('awards.withdraw')}
                  </button>
                </Show>
              </AwardCard>
            )}
          </For>
        )}
      </Loaded>
    </section>
  )
}
