import { createSignal, For, Show } from 'solid-js'
import { HOUSEHOLD_TAGS, type HouseholdTag } from '../../../shared/tags'
import type { Household } from '../../../shared/types/households'
import { households } from '../../api/households'
import { t } from '../../i18n'
import { hasRole } from '../../session'
import { ErrorMessage, Message } from '../../ui/Message'

/**
 * A household's categories (低保, 五保, 党员户 …, issue 18): shown to all, ticked and saved by the clerk. It keeps
 * what it saved itself (nothing else on the household's page shows the categories), so its 已保存 stays in view.
 */
export function TagsPanel(props: { household: Household }) {
  const [chosen, setChosen] = createSignal(new Set(props.household.tags))
  const [error, setError] = createSignal<unknown>(null)
  const [saved, setSaved] = createSignal(false)
  const clerk = () => hasRole('clerk')

  function toggle(tag: HouseholdTag, on: boolean) {
    const next = new Set(chosen())
    if (on) next.add(tag)
    else next.delete(tag)
    setChosen(next)
    setSaved(false)
  }
  async function save() {
    setError(null)
    try {
      const tags = HOUSEHOLD_TAGS.filter((tag) => chosen().has(tag))
      const saved = await households.update(props.household.id, { tags })
      setChosen(new Set(saved.tags))
      setSaved(true)
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section data-testid="tags">
      <h2>{t('tags.title')}</h2>
      <Show
        when={clerk()}
        fallback={
          <p>
            {props.household.tags.length ? (
              props.household.tags.map((tag) => <span class="tag">{tag}</span>)
            ) : (
              <span class="muted">{t('tags.none')}</span>
            )}
          </p>
        }
      >
        <div class="row" style={{ 'flex-wrap': 'wrap' }}>
          <For each={HOUSEHOLD_TAGS}>
            {(tag) => (
              <label class="check">
                <input
                  type="checkbox"
                  name="tag"
                  value={tag}
                  checked={chosen().has(tag)}
                  onChange={(e) => toggle(tag, e.currentTarget.checked)}
                />
                {tag}
              </label>
            )}
          </For>
          <button type="button" onClick={() => void save()}>
            {t('tags.save')}
          </button>
        </div>
        <Show when={saved()}>
          <Message kind="ok">{t('tags.saved')}</Message>
        </Show>
      </Show>
      <ErrorMessage error={error()} />
    </section>
  )
}
