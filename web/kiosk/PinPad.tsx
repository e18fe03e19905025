import { createSignal, For, onMount, Show } from 'solid-js'
import { PIN_PATTERN } from '../../shared/patterns'
import { t } from '../i18n'

/**
 * A large on-screen PIN pad: the villager taps their PIN; digits show as dots. OK lights up once the PIN has
 * the form the server's schema asks for (the shared pattern: no zod on the counter).
 */
export function PinPad(props: { error?: string; onSubmit: (pin: string) => void; onCancel: () => void }) {
  let dialog!: HTMLDialogElement
  const [pin, setPin] = createSignal('')
  const press = (d: string) => pin().length < 6 && setPin(pin() + d)
  onMount(() => dialog.showModal())
  return (
    <dialog
      ref={dialog}
      class="pinpad"
      aria-label={t('kiosk.pinTitle')}
      onCancel={(e) => (e.preventDefault(), props.onCancel())}
    >
      <h2>{t('kiosk.pinTitle')}</h2>
      <div class="pin-dots" aria-live="polite">
        {'●'.repeat(pin().length) || '\u00a0'}
      </div>
      <Show when={props.error}>
        <div class="message error" role="alert">
          {props.error}
        </div>
      </Show>
      <div class="pin-keys">
        <For each={['1', '2', '3', '4', '5', '6', '7', '8', '9']}>
          {(d) => (
            <button type="button" onClick={() => press(d)}>
              {d}
            </button>
          )}
        </For>
        <button type="button" class="word" onClick={() => setPin('')}>
          {t('kiosk.pinClear')}
        </button>
        <button type="button" onClick={() => press('0')}>
          0
        </button>
        <button
          type="button"
          class="primary word"
          disabled={!PIN_PATTERN.test(pin())}
          onClick={() => props.onSubmit(pin())}
        >
          {t('kiosk.pinOk')}
        </button>
      </div>
      <button type="button" class="cancel" onClick={() => props.onCancel()}>
        {t('app.cancel')}
      </button>
    </dialog>
  )
}
