import { A } from '@solidjs/router'
import { createResource, For, Show } from 'solid-js'
import { tagsApi } from '../../api/tags'
import { fmt, t } from '../../i18n'
import { villageId } from '../../session'
import { ErrorMessage } from '../../ui/Message'

/** The dashboard's households by category (issue 18): how many 低保, 五保 … households, each a link to the list. */
export function TagCountsPanel() {
  const [counts] = createResource(villageId, (v) => tagsApi.counts(v))
  return (
    <section data-testid="tag-counts">
      <h2>{t('tags.byCategory')}</h2>
      <ErrorMessage error={counts.error} />
      <Show when={counts()}>
        {(c) => (
          <>
            <div class="stats">
              <For each={c().items}>
                {(i) => (
                  <div class="stat" data-tag={i.tag}>
                    <div class="label">{i.tag}</div>
                    <div class="value">
                      <A href={`/households?tag=${encodeURIComponent(i.tag)}`}>{fmt(i.households)}</A>
                    </div>
                  </div>
                )}
              </For>
            </div>
            <p class="muted">{t('tags.summary', { tagged: fmt(c().tagged), party: fmt(c().partyMembers) })}</p>
          </>
        )}
      </Show>
    </section>
  )
}
