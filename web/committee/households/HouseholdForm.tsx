import { createSignal, Show } from 'solid-js'
import type { Household } from '../../../shared/types/households'
import { api } from '../../api'
import { t } from '../../i18n'
import { villageId } from '../../session'
import { ErrorMessage } from '../../ui/Message'

/** Create a household, or edit one (given). An empty PIN field leaves the PIN as it is. */
export function HouseholdForm(props: { household?: Household; onSaved: (h: Household) => void; onCancel: () => void }) {
  const h = props.household
  const [householdNo, setNo] = createSignal(h?.householdNo ?? '')
  const [headName, setHead] = createSignal(h?.headName ?? '')
  const [phone, setPhone] = createSignal(h?.phone ?? '')
  const [address, setAddress] = createSignal(h?.address ?? '')
  const [pin, setPin] = createSignal('')
  const [removePin, setRemovePin] = createSignal(false)
  const [error, setError] = createSignal<unknown>(null)
  const [busy, setBusy] = createSignal(false)

  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    const body: Record<string, unknown> = {
      householdNo: householdNo().trim(),
      headName: headName().trim(),
      phone: phone().trim() || null,
      address: address().trim() || null,
    }
    if (pin()) body.pin = pin()
    else if (removePin()) body.pin = null
    try {
      const saved = h
        ? await api.patch<Household>(`/api/households/${h.id}`, body)
        : await api.post<Household>(`/api/villages/${villageId()}/households`, body)
      props.onSaved(saved)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="form" onSubmit={submit}>
      <label>{t('households.no')}<input name="householdNo" required maxLength={32} value={householdNo()} onInput={(e) => setNo(e.currentTarget.value)} /></label>
      <label>{t('households.head')}<input name="headName" required maxLength={32} value={headName()} onInput={(e) => setHead(e.currentTarget.value)} /></label>
      <label>{t('households.phone')}<input name="phone" inputmode="tel" maxLength={20} value={phone()} onInput={(e) => setPhone(e.currentTarget.value)} /></label>
      <label>{t('households.address')}<input name="address" maxLength={128} value={address()} onInput={(e) => setAddress(e.currentTarget.value)} /></label>
      <label>{t('households.pin')}<input name="pin" inputmode="numeric" pattern="\d{4,6}" maxLength={6} value={pin()} onInput={(e) => setPin(e.currentTarget.value)} /></label>
      <Show when={h?.hasPin}>
        <label class="inline"><input type="checkbox" checked={removePin()} onChange={(e) => setRemovePin(e.currentTarget.checked)} />{t('households.removePin')}</label>
      </Show>
      <div class="row">
        <button type="submit" class="primary" disabled={busy()}>{t('app.save')}</button>
        <button type="button" onClick={() => props.onCancel()}>{t('app.cancel')}</button>
      </div>
      <div style={{ 'grid-column': '1 / -1' }}><ErrorMessage error={error()} /></div>
    </form>
  )
}
