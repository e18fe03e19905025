import { For, Show } from 'solid-js'
import type { FieldErrorsState } from './form'

/** A field's problem, right under its input (inside the label, so it sits in the form's grid cell). */
export function FieldError(props: { form: FieldErrorsState; name: string }) {
  return (
    <Show when={props.form.of(props.name)}>
      {(message) => (
        <span class="field-error" role="alert" data-field={props.name}>
          {message()}
        </span>
      )}
    </Show>
  )
}

/** Problems of fields the form has no input for (or of the whole body): listed, so none goes unseen. */
export function FormProblems(props: { form: FieldErrorsState }) {
  return (
    <Show when={props.form.others().length}>
      <ul class="field-error" role="alert" style={{ 'grid-column': '1 / -1' }}>
        <For each={props.form.others()}>
          {([field, message]) => (
            <li data-field={field}>
              {field}: {message}
            </li>
          )}
        </For>
      </ul>
    </Show>
  )
}
