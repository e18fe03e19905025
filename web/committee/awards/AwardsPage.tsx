import { createResource, createSignal, For } from 'solid-js'
import type { AwardStatus } from '../../../shared/types/awards'
import { api, type Page, qs } from '../../api'
import { t } from '../../i18n'
import { villageId } from '../../session'
import type { AwardDetail } from '../../types'
import { Loaded } from '../../ui/Loaded'
import { AwardCard } from './AwardCard'

const STATUSES: (AwardStatus | '')[] = ['', 'pending', 'publicized', 'posted', 'rejected', 'withdrawn']

export default function AwardsPage() {
  const [status, setStatus] = createSignal<AwardStatus | ''>('')
  const [awards, { refetch }] = createResource(
    () => ({ v: villageId(), s: status() }),
    (k) => api.get<Page<AwardDetail>>(`/api/villages/${k.v}/awards${qs({ status: k.s, limit: 200 })}`).then((p) => p.items),
  )
  return (
    <section>
      <h1>{t('awards.listTitle')}</h1>
      <div class="row" role="tablist">
        <For each={STATUSES}>
          {(s) => (
            <button type="button" role="tab" classList={{ primary: status() === s }} aria-selected={status() === s} onClick={() => setStatus(s)}>
              {s ? t(`awards.status.${s}`) : t('kiosk.allCategories')}
            </button>
          )}
        </For>
      </div>
      <Loaded resource={awards} retry={refetch}>
        {(list) => <For each={list} fallback={<p class="muted">{t('app.none')}</p>}>{(a) => <AwardCard award={a} />}</For>}
      </Loaded>
    </section>
  )
}
