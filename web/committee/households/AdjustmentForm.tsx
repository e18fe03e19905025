import { createSignal, Show } from 'solid-js'
import { adjustmentInput } from '../../../shared/schemas/awards'
import { households } from '../../api/households'
import { t } from '../../i18n'
import { FieldError, FormProblems } from '../../ui/FieldError'
import { createFieldErrors, numberField } from '../../ui/form'
import { ErrorMessage, Message } from '../../ui/Message'

const FIELDS = ['amount', 'reason'] as const

/**
 * An approver corrects a household's balance by a whole number of points (negative takes points away), with
 * the reason that goes into the ledger. The form is emptied after it is booked, so a second click books nothing.
 */
export function AdjustmentForm(props: { householdId: string; onDone: () => void }) {
  const [amount, setAmount] = createSignal('')
  const [reason, setReason] = createSignal('')
  const [done, setDone] = createSignal('')
  const form = createFieldErrors(FIELDS)

  async function submit(e: Event) {
    e.preventDefault()
    setDone('')
    const body = form.check(adjustmentInput, { amount: numberField(amount()), reason: reason() })
    if (!body) return
    await form.send(async () => {
      await households.proposeAdjustment(props.householdId, body)
      setDone(t('adjust.proposed', { amount: (body.amount > 0 ? '+' : '') + body.amount }))
      setAmount('')
      setReason('')
      props.onDone()
    })
  }

  return (
    <details class="card" data-testid="adjustment">
      <summary>{t('adjust.title')}</summary>
      <form class="form" noValidate onSubmit={submit}>
        <label>
          {t('adjust.amount')}
          <input
            name="amount"
            aria-invalid={!!form.of('amount')}
            value={amount()}
            onInput={(e) => setAmount(e.currentTarget.value)}
          />
          <FieldError form={form} name="amount" />
        </label>
        <label>
          {t('adjust.reason')}
          <input
            name="reason"
            maxLength={500}
            aria-invalid={!!form.of('reason')}
            value={reason()}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          <FieldError form={form} name="reason" />
        </label>
        <FormProblems form={form} />
        <div class="row">
          <button type="submit" class="primary" disabled={form.busy()}>
            {t('adjust.submit')}
          </button>
        </div>
        <div style={{ 'grid-column': '1 / -1' }}>
          <Show when={done()}>
            <Message kind="ok">{done()}</Message>
          </Show>
          <ErrorMessage error={form.error()} fieldsShown />
        </div>
      </form>
    </details>
  )
}
