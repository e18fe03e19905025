import { For } from 'solid-js'
import { HOUSEHOLD_TAGS } from '../../shared/tags'
import { t } from '../i18n'

/** A select of the categories, '' for all households: the households list and the kiosk search filter by it. */
export function TagFilter(props: { value: string; onChange: (tag: string) => void }) {
  return (
    <select aria-label={t('tags.filter')} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <option value="">{t('tags.all')}</option>
      <For each={HOUSEHOLD_TAGS}>{(tag) => <option value={tag}>{tag}</option>}</For>
    </select>
  )
}
