import { For, Show } from 'solid-js'
import type { CounterStatus } from '../../../shared/types/counter'
import { counterLabel } from '../../api/counter'
import { fmt, fmtDateTime, t } from '../../i18n'

/** A counter not heard from for this long may be offline, with sales it has not been able to upload. */
const STALE_MINUTES = 10

/** All counters' unsynced sales together, and since when the oldest of them waits. */
export function unsyncedOf(counters: CounterStatus[]): { n: number; since: string | null } {
  const n = counters.reduce((s, c) => s + c.pending, 0)
  const since =
    counters.flatMap((c) => (c.pending > 0 && c.oldestPendingAt ? [c.oldestPendingAt] : [])).sort()[0] ?? null
  return { n, since }
}

const minutesSince = (iso: string, now = Date.now()) => Math.floor((now - Date.parse(iso)) / 60_000)

/**
 * The counter tablets as they last reported: how many offline sales each still holds and since when, and when
 * it was last heard from. A tablet that is offline cannot report; one silent for a while is flagged, since what
 * it sells meanwhile reaches the ledger only when its network returns.
 */
export function CountersPanel(props: { counters: CounterStatus[] }) {
  return (
    <>
      <h2>{t('dashboard.counters')}</h2>
      <table data-testid="counters">
        <thead>
          <tr>
            <th>{t('dashboard.counter.id')}</th>
            <th>{t('dashboard.counter.cashier')}</th>
            <th>{t('dashboard.counter.pending')}</th>
            <th>{t('dashboard.counter.since')}</th>
            <th>{t('dashboard.counter.lastSeen')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.counters}>
            {(c) => (
              <tr data-counter={c.counterId} data-pending={c.pending}>
                <td>{counterLabel(c.counterId)}</td>
                {/* A login name is the user's own data, not the interface's words (test/browser/field.test.ts knows it). */}
                <td class="user-data">{c.username ?? '—'}</td>
                <td classList={{ minus: c.pending > 0 }}>
                  {c.pending > 0 ? fmt(c.pending) : t('dashboard.counter.synced')}
                </td>
                <td>{c.pending > 0 && c.oldestPendingAt ? fmtDateTime(c.oldestPendingAt) : '—'}</td>
                <td>
                  {fmtDateTime(c.lastSeenAt)}
                  <Show when={minutesSince(c.lastSeenAt) >= STALE_MINUTES}>
                    <div class="minus">{t('dashboard.counter.stale', { n: fmt(minutesSince(c.lastSeenAt)) })}</div>
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </>
  )
}
