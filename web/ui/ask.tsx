import { createSignal, onMount } from 'solid-js'
import { render } from 'solid-js/web'
import { t } from '../i18n'

/**
 * Asks for a required reason (reject, reverse, withdraw, objection) in a large modal; null when cancelled.
 * A real dialog rather than window.prompt: big type, and it works the same on the counter tablet.
 */
export function askText(title: string): Promise<string | null> {
  return new Promise((resolve) => {
    const host = document.createElement('div')
    document.body.append(host)
    const dispose = render(() => {
      let dialog!: HTMLDialogElement
      let input!: HTMLTextAreaElement
      const [value, setValue] = createSignal('')
      const finish = (result: string | null) => {
        dialog.close()
        dispose()
        host.remove()
        resolve(result)
      }
      onMount(() => {
        dialog.showModal()
        input.focus()
      })
      return (
        <dialog ref={dialog} onCancel={(e) => (e.preventDefault(), finish(null))} aria-label={title}>
          <form
            method="dialog"
            onSubmit={(e) => {
              e.preventDefault()
              if (value().trim()) finish(value().trim())
            }}
          >
            <label>
              {title}
              <textarea ref={input} required value={value()} onInput={(e) => setValue(e.currentTarget.value)} />
            </label>
            <div class="row" style={{ 'margin-top': '0.8rem' }}>
              <button type="submit" class="primary" disabled={!value().trim()}>{t('app.confirm')}</button>
              <button type="button" onClick={() => finish(null)}>{t('app.cancel')}</button>
            </div>
          </form>
        </dialog>
      )
    }, host)
  })
}
