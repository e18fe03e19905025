import { createResource, For, Show } from 'solid-js'
import { stock } from '../../api/supermarket'
import { fmt, t } from '../../i18n'
import { villageId } from '../../session'
import { Loaded } from '../../ui/Loaded'

export const fetchAlerts = (vid: string) => stock.alerts(vid)

/** What to restock, and donated food that is about to expire (give it out first). */
export default function AlertsPage() {
  const [alerts, { refetch }] = createResource(villageId, fetchAlerts)
  return (
    <section>
      <h1>{t('alerts.title')}</h1>
      <Loaded resource={alerts} retry={refetch}>
        {(a) => (
          <>
            <Show when={a.lowStock.length === 0 && a.nearExpiry.length === 0}>
              <p class="message ok">{t('alerts.none')}</p>
            </Show>
            <ul>
              <For each={a.lowStock}>
                {(l) => (
                  <li class="minus">
                    {t('alerts.low', { name: l.name, stock: fmt(l.stock), threshold: fmt(l.threshold) })}
                  </li>
                )}
              </For>
              <For each={a.nearExpiry}>
                {(e) => (
                  <li class={e.expired ? 'minus' : ''}>
                    {t(e.expired ? 'alerts.expired' : 'alerts.expiry', {
                      name: e.name,
                      n: fmt(e.remaining),
                      date: e.bestBefore,
                    })}
                  </li>
                )}
              </For>
            </ul>
          </>
        )}
      </Loaded>
    </section>
  )
}
