import { For, type JSX, Show } from 'solid-js'
import { ApiError, messageOf, serverWords } from '../api/client'
import { t } from '../i18n'
import { fieldErrors, problemsFromServer } from './problems'

export function Message(props: { kind: 'error' | 'ok' | 'warn'; children: JSX.Element }) {
  return (
    <div class={`message ${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  )
}

/**
 * An error in the user's language, the server's own words underneath when they add something, and a retry.
 * A 400's field problems are listed here unless the form shows them beside its fields (`fieldsShown`).
 */
export function ErrorMessage(props: { error: unknown; onRetry?: () => void; fieldsShown?: boolean }) {
  const detail = () => {
    const e = props.error
    const words = e instanceof ApiError ? serverWords(e.serverMessage ?? '') : ''
    return words && words !== messageOf(e) ? words : ''
  }
  const fields = () => (props.fieldsShown ? [] : Object.entries(fieldErrors(problemsFromServer(props.error))))
  return (
    <Show when={props.error}>
      <div
        class="message error"
        role="alert"
        data-code={props.error instanceof ApiError ? props.error.code : undefined}
      >
        <div>{messageOf(props.error)}</div>
        <Show when={fields().length}>
          <ul style={{ margin: '0.3rem 0', 'font-weight': 400 }}>
            <For each={fields()}>
              {([field, message]) => (
                <li>
                  {field}: {message}
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={detail()}>
          <div class="muted" style={{ 'font-weight': 400, 'font-size': '0.85rem' }}>
            {detail()}
          </div>
        </Show>
        <Show when={props.onRetry}>
          <button type="button" onClick={() => props.onRetry!()}>
            {t('app.retry')}
          </button>
        </Show>
      </div>
    </Show>
  )
}
