import { createSignal, Show } from 'solid-js'
import type { Household } from '../../../shared/types/households'
import { createHouseholdInput, updateHouseholdInput } from '../../../shared/schemas/households'
import { households } from '../../api/households'
import { t } from '../../i18n'
import { villageId } from '../../session'
import { FieldError, FormProblems } from '../../ui/FieldError'
import { createFieldErrors } from '../../ui/form'
import { ErrorMessage } from '../../ui/Message'

const FIELDS = ['householdNo', 'headName', 'phone', 'address', 'pin'] as const

/**
 * Create a household, or edit one (given). An empty PIN field leaves the PIN as it is. Checked with the
 * server's own schema before sending (noValidate: the browser's checks would speak another language).
 */
export function HouseholdForm(props: { household?: Household; onSaved: (h: Household) => void; onCancel: () => void }) {
  const h = props.household
  const [householdNo, setNo] = createSignal(h?.householdNo ?? '')
  const [headName, setHead] = createSignal(h?.headName ?? '')
  const [phone, setPhone] = createSignal(h?.phone ?? '')
  const [address, setAddress] = createSignal(h?.address ?? '')
  const [pin, setPin] = createSignal('')
  const [removePin, setRemovePin] = createSignal(false)
  const form = createFieldErrors(FIELDS)

  async function submit(e: Event) {
    e.preventDefault()
    const input: Record<string, unknown> = {
      householdNo: householdNo(),
      headName: headName(),
      phone: phone().trim() || null,
      address: address().trim() || null,
    }
    if (pin()) input.pin = pin()
    else if (removePin()) input.pin = null
    if (h) {
      const body = form.check(updateHouseholdInput, input)
      if (body) await form.send(async () => props.onSaved(await households.update(h.id, body)))
    } else {
      const body = form.check(createHouseholdInput, input)
      if (body) await form.send(async () => props.onSaved(await households.create(villageId()!, body)))
    }
  }

  const field = (name: (typeof FIELDS)[number]) => ({ name, 'aria-invalid': !!form.of(name) })
  return (
    <form class="form" noValidate onSubmit={submit}>
      <label>
        {t('households.no')}
        <input
          {...field('householdNo')}
          required
          maxLength={32}
          value={householdNo()}
          onInput={(e) => setNo(e.currentTarget.value)}
        />
        <FieldError form={form} name="householdNo" />
      </label>
      <label>
        {t('households.head')}
        <input
          {...field('headName')}
          required
          maxLength={32}
          value={headName()}
          onInput={(e) => setHead(e.currentTarget.value)}
        />
        <FieldError form={form} name="headName" />
      </label>
      <label>
        {t('households.phone')}
        <input
          {...field('phone')}
          inputmode="tel"
          maxLength={20}
          value={phone()}
          onInput={(e) => setPhone(e.currentTarget.value)}
        />
        <FieldError form={form} name="phone" />
      </label>
      <label>
        {t('households.address')}
        <input
          {...field('address')}
          maxLength={128}
          value={address()}
          onInput={(e) => setAddress(e.currentTarget.value)}
        />
        <FieldError form={form} name="address" />
      </label>
      <label>
        {t('households.pin')}
        <input
          {...field('pin')}
          inputmode="numeric"
          maxLength={6}
          value={pin()}
          onInput={(e) => setPin(e.currentTarget.value)}
        />
        <FieldError form={form} name="pin" />
      </label>
      <Show when={h?.hasPin}>
        <label class="inline">
          <input type="checkbox" checked={removePin()} onChange={(e) => setRemovePin(e.currentTarget.checked)} />
          {t('households.removePin')}
        </label>
      </Show>
      <FormProblems form={form} />
      <div class="row">
        <button type="submit" class="primary" disabled={form.busy()}>
          {t('app.save')}
        </button>
        <button type="button" onClick={() => props.onCancel()}>
          {t('app.cancel')}
        </button>
      </div>
      <div style={{ 'grid-column': '1 / -1' }}>
        <ErrorMessage error={form.error()} fieldsShown />
      </div>
    </form>
  )
}
