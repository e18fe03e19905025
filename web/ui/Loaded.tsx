import { type JSX, type Resource, Show } from 'solid-js'
import { t } from '../i18n'
import { ErrorMessage } from './Message'

/** A resource's three states: loading, failed (translated, with a retry), or its content. */
export function Loaded<T>(props: { resource: Resource<T>; retry?: () => void; children: (value: T) => JSX.Element }) {
  return (
    <Show when={!props.resource.error} fallback={<ErrorMessage error={props.resource.error} onRetry={props.retry} />}>
      {/* keyed: a refetch brings a new value, and the content is drawn again from it */}
      <Show when={props.resource()} keyed fallback={<p class="muted">{t('app.loading')}</p>}>
        {(value) => props.children(value)}
      </Show>
    </Show>
  )
}
