import { createResource, createSignal, For, Show } from 'solid-js'
import { reasonInput } from '../../../shared/schemas/awards'
import { awards as awardsApi } from '../../api/awards'
import { fmt, t } from '../../i18n'
import { villageId } from '../../session'
import type { ApproveResult, AwardDetail } from '../../../shared/types/awards'
import { askText } from '../../ui/ask'
import { Loaded } from '../../ui/Loaded'
import { ErrorMessage, Message } from '../../ui/Message'
import { AdjustmentQueue } from './AdjustmentQueue'
import { AwardCard } from './AwardCard'

/** Pending awards with everything an approver needs to decide (households, photos); approve or reject with reason. */
export default function QueuePage() {
  const [awards, { refetch }] = createResource(villageId, async (v) => {
    const page = await awardsApi.list(v, { status: 'pending', limit: 100 })
    return Promise.all(page.items.map(async (a) => ({ ...a, ...(await awardsApi.get(a.id).catch(() => ({}))) })))
  })
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')
  const [budget, setBudget] = createSignal<{ outstanding: number; stockValue: number } | null>(null)

  async function decide(a: AwardDetail, action: 'approve' | 'reject') {
    let reason = ''
    if (action === 'reject') {
      reason = (await askText(t('awards.rejectReason'), { schema: reasonInput, field: 'reason' })) ?? ''
      if (!reason) return
    }
    setError(null)
    setNotice('')
    try {
      const res: ApproveResult = action === 'approve' ? await awardsApi.approve(a.id) : await awardsApi.reject(a.id, reason)
      setBudget(res.budgetWarning ?? null)
      setNotice(`${action === 'approve' ? t('awards.approved') : t('awards.rejected')}: ${a.rule?.name ?? ''} → ${t(`awards.status.${res.status}`) ?? res.status}`)
      void refetch()
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section>
      <h1>{t('awards.queueTitle')}</h1>
      <Show when={notice()}><Message kind="ok">{notice()}</Message></Show>
      <Show when={budget()}>
        {(b) => <Message kind="warn">{t('awards.budgetWarning', { outstanding: fmt(b().outstanding), stock: fmt(b().stockValue) })}</Message>}
      </Show>
      <ErrorMessage error={error()} />
      <Loaded resource={awards} retry={refetch}>
        {(list) => (
          <For each={list} fallback={<p class="muted">{t('app.none')}</p>}>
            {(a) => (
              <AwardCard award={a}>
                <button type="button" class="primary" onClick={() => void decide(a, 'approve')}>{t('awards.approve')}</button>
                <button type="button" class="danger" onClick={() => void decide(a, 'reject')}>{t('awards.reject')}</button>
              </AwardCard>
            )}
          </For>
        )}
      </Loaded>
      <AdjustmentQueue />
    </section>
  )
}
