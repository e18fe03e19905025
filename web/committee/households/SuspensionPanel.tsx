import { createSignal, Show } from 'solid-js'
import { suspensionInput } from '../../../shared/schemas/households'
import type { Household } from '../../../shared/types/households'
import { households } from '../../api/households'
import { t } from '../../i18n'
import { FieldError, FormProblems } from '../../ui/FieldError'
import { createFieldErrors } from '../../ui/form'
import { ErrorMessage, Message } from '../../ui/Message'

/**
 * 暂停兑换 from the household's page (issue 17; it existed only in the API): an approver suspends the household's
 * redemptions until a date, with the reason the counter then shows, or lifts the suspension. The panel shows the
 * saved household's state itself (the page renders it afresh with what the server answered).
 */
export function SuspensionPanel(props: { household: Household; onChanged: (h: Household) => void }) {
  const [until, setUntil] = createSignal('')
  const [reason, setReason] = createSignal('')
  const fields = createFieldErrors(['until', 'reason'])

  async function suspend(e: Event) {
    e.preventDefault()
    const body = fields.check(suspensionInput, { until: until() || null, reason: reason().trim() || null })
    if (!body?.until) return
    await fields.send(async () => {
      props.onChanged(await households.suspend(props.household.id, body))
    })
  }
  async function lift() {
    await fields.send(async () => {
      props.onChanged(await households.suspend(props.household.id, { until: null, reason: null }))
    })
  }

  return (
    <div class="card" data-testid="suspension">
      <h2 style={{ 'margin-top': 0 }}>{t('suspension.title')}</h2>
      <Show
        when={props.household.suspendedUntil}
        fallback={
          <form class="form" noValidate onSubmit={suspend}>
            <label>
              {t('suspension.reason')}
              <input value={reason()} maxLength={200} required onInput={(e) => setReason(e.currentTarget.value)} />
              <FieldError form={fields} name="reason" />
            </label>
            <label>
              {t('suspension.until')}
              <input type="date" required value={until()} onInput={(e) => setUntil(e.currentTarget.value)} />
              <FieldError form={fields} name="until" />
            </label>
            <div>
              <button type="submit" class="danger" disabled={fields.busy() || !until() || !reason().trim()}>
                {t('suspension.suspend')}
              </button>
            </div>
            <FormProblems form={fields} />
          </form>
        }
      >
        {(d) => (
          <>
            <Message kind="warn">
              {t('suspension.current', { until: d(), reason: props.household.suspendedReason ?? '' })}
            </Message>
            <button type="button" disabled={fields.busy()} onClick={() => void lift()}>
              {t('suspension.lift')}
            </button>
          </>
        )}
      </Show>
      <ErrorMessage error={fields.error()} fieldsShown />
    </div>
  )
}
