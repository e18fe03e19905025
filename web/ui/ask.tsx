import { createSignal, onMount } from 'solid-js'
import { render } from 'solid-js/web'
import type { z } from 'zod'
import { t } from '../i18n'
import { FieldError } from './FieldError'
import { createFieldErrors } from './form'

/** The shared schema the text is sent in, and its field: { schema: reasonInput, field: 'reason' }. */
export interface TextInput {
  schema: z.ZodType
  field: string
}

/**
 * Asks for a required reason (reject, reverse, withdraw, objection) in a large modal; null when cancelled.
 * A real dialog rather than window.prompt: big type, and it works the same on the counter tablet.
 * With `input`, the text is checked with the schema it will be sent in, and stays open showing why until it passes.
 */
export function askText(title: string, input?: TextInput): Promise<string | null> {
  return new Promise((resolve) => {
    const host = document.createElement('div')
    document.body.append(host)
    const dispose = render(() => {
      let dialog!: HTMLDialogElement
      let textarea!: HTMLTextAreaElement
      const [value, setValue] = createSignal('')
      const problems = createFieldErrors(input ? [input.field] : [])
      const finish = (result: string | null) => {
        dialog.close()
        dispose()
        host.remove()
        resolve(result)
      }
      onMount(() => {
        dialog.showModal()
        textarea.focus()
      })
      return (
        <dialog ref={dialog} onCancel={(e) => (e.preventDefault(), finish(null))} aria-label={title}>
          <form
            method="dialog"
            onSubmit={(e) => {
              e.preventDefault()
              const text = value().trim()
              if (text && (!input || problems.check(input.schema, { [input.field]: text }))) finish(text)
            }}
          >
            <label>
              {title}
              <textarea
                ref={textarea}
                required
                aria-invalid={!!(input && problems.of(input.field))}
                value={value()}
                onInput={(e) => setValue(e.currentTarget.value)}
              />
              {input && <FieldError form={problems} name={input.field} />}
            </label>
            <div class="row" style={{ 'margin-top': '0.8rem' }}>
              <button type="submit" class="primary" disabled={!value().trim()}>
                {t('app.confirm')}
              </button>
              <button type="button" onClick={() => finish(null)}>
                {t('app.cancel')}
              </button>
            </div>
          </form>
        </dialog>
      )
    }, host)
  })
}

/**
 * Asks to confirm one decision that covers many things (approving several awards at once, issue 17): the list
 * is shown, one 确认 answers for all. Resolves true when confirmed.
 */
export function askConfirm(title: string, lines: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const host = document.createElement('div')
    document.body.append(host)
    const dispose = render(() => {
      let dialog!: HTMLDialogElement
      const finish = (ok: boolean) => {
        dialog.close()
        dispose()
        host.remove()
        resolve(ok)
      }
      onMount(() => dialog.showModal())
      return (
        <dialog ref={dialog} onCancel={(e) => (e.preventDefault(), finish(false))} aria-label={title}>
          <h2 style={{ 'margin-top': 0 }}>{title}</h2>
          <ul>
            {lines.map((l) => (
              <li>{l}</li>
            ))}
          </ul>
          <div class="row" style={{ 'margin-top': '0.8rem' }}>
            <button type="button" class="primary" onClick={() => finish(true)}>
              {t('app.confirm')}
            </button>
            <button type="button" onClick={() => finish(false)}>
              {t('app.cancel')}
            </button>
          </div>
        </dialog>
      )
    }, host)
  })
}
