import { createResource, createSignal, For } from 'solid-js'
import type { AwardDetail, AwardStatus } from '../../../shared/types/awards'
import { awards as awardsApi } from '../../api/awards'
import { t } from '../../i18n'
import { villageId } from '../../session'
import { Loaded } from '../../ui/Loaded'
import { AwardCard } from './AwardCard'

const STATUSES: (AwardStatus | '')[] = ['', 'pending', 'publicized', 'posted', 'rejected', 'withdrawn']

export default function AwardsPage() {
  const [status, setStatus] = createSignal<AwardStatus | ''>('')
  const [awards, { refetch }] = createResource(
    () => {
      const v = villageId()
      return v ? { v, s: status() || undefined } : null
    },
    (k) => awardsApi.list(k.v, { status: k.s, limit: 200 }).then((p) => p.items),
  )
  return (
    <section>
      <h1>{t('awards.listTitle')}</h1>
      <div class="row" role="tablist">
        <For each={STATUSES}>
          {(s) => (
            <button
              type="button"
              role="tab"
              classList={{ primary: status() === s }}
              aria-selected={status() === s}
              onClick={() => setStatus(s)}
            >
              {s ? t(`awards.status.${s}`) : t('kiosk.allCategories')}
            </button>
          )}
        </For>
      </div>
      <Loaded resource={awards} retry={refetch}>
        {(list) => (
          <For each={list} fallback={<p class="muted">{t('app.none')}</p>}>
            {(a) => <AwardCard award={a} />}
          </For>
        )}
      </Loaded>
    </section>
  )
}
