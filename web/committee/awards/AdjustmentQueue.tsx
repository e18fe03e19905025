import { createResource, createSignal, For, Show } from 'solid-js'
import { reasonInput } from '../../../shared/schemas/awards'
import type { Adjustment } from '../../../shared/types/ledger'
import { ledger } from '../../api/ledger'
import { fmt, t } from '../../i18n'
import { currentUser, villageId } from '../../session'
import { askText } from '../../ui/ask'
import { Loaded } from '../../ui/Loaded'
import { ErrorMessage, Message } from '../../ui/Message'

/**
 * Adjustments proposed by one approver, waiting for a second (issue 13): shown in the approval queue beside the
 * awards. The proposer sees their own, marked, without an approve button (the server refuses it anyway).
 */
export function AdjustmentQueue() {
  const [list, { refetch }] = createResource(villageId, async (v) => (await ledger.adjustments(v, 'pending')).items)
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')

  async function decide(a: Adjustment, action: 'approve' | 'reject') {
    setError(null)
    setNotice('')
    try {
      if (action === 'approve') {
        const res = await ledger.approveAdjustment(a.id)
        setNotice(
          t('adjustQueue.posted', {
            amount: signed(a.amount),
            household: a.householdNo ?? '',
            balance: fmt(res.balanceAfter),
          }),
        )
      } else {
        const reason = await askText(t('awards.rejectReason'), { schema: reasonInput, field: 'reason' })
        if (!reason) return
        await ledger.rejectAdjustment(a.id, reason)
        setNotice(t('adjustQueue.rejected', { household: a.householdNo ?? '' }))
      }
      void refetch()
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section data-testid="adjustment-queue">
      <h2>{t('adjustQueue.title')}</h2>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <ErrorMessage error={error()} />
      <Loaded resource={list} retry={refetch}>
        {(items) => (
          <For each={items} fallback={<p class="muted">{t('app.none')}</p>}>
            {(a) => (
              <div class="card">
                <p>
                  <strong>
                    {a.householdNo} {a.headName}
                  </strong>
                  : {signed(a.amount)} — {a.reason}
                </p>
                <p class="muted">{t('adjustQueue.proposedAt', { at: a.proposedAt.slice(0, 16).replace('T', ' ') })}</p>
                <div class="row">
                  <Show
                    when={a.proposedBy !== currentUser()?.id}
                    fallback={<span class="muted">{t('adjustQueue.own')}</span>}
                  >
                    <button type="button" class="primary" onClick={() => void decide(a, 'approve')}>
                      {t('awards.approve')}
                    </button>
                  </Show>
                  <button type="button" class="danger" onClick={() => void decide(a, 'reject')}>
                    {t('awards.reject')}
                  </button>
                </div>
              </div>
            )}
          </For>
        )}
      </Loaded>
    </section>
  )
}

const signed = (n: number) => (n > 0 ? `+${fmt(n)}` : fmt(n))
