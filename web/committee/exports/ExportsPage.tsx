import { createSignal, For, Show } from 'solid-js'
import type { RollupVillage } from '../../../shared/types/exports'
import { exportsApi } from '../../api/exports'
import { fmt, t } from '../../i18n'
import { hasRole, villageId } from '../../session'
import { ErrorMessage } from '../../ui/Message'
import CheckpointVerify from './CheckpointVerify'

const lastMonth = () => {
  const d = new Date()
  const m = new Date(d.getFullYear(), d.getMonth() - 1, 1)
  return `${m.getFullYear()}-${String(m.getMonth() + 1).padStart(2, '0')}`
}

/** The monthly statement for the public board and the township: spreadsheet downloads and the printable board. */
export default function ExportsPage() {
  const [month, setMonth] = createSignal(lastMonth())
  const [error, setError] = createSignal<unknown>(null)
  const [rollup, setRollup] = createSignal<RollupVillage[] | null>(null)
  const run = (p: Promise<unknown>) => (setError(null), p.catch(setError))
  return (
    <section>
      <h1>{t('exports.title')}</h1>
      <label class="inline">
        {t('exports.month')}
        <input type="month" value={month()} onInput={(e) => setMonth(e.currentTarget.value)} />
      </label>
      <div class="row" style={{ 'margin-top': '0.8rem' }}>
        <button type="button" onClick={() => void run(exportsApi.downloadMonthly(villageId()!, month(), 'csv'))}>
          {t('exports.csv')}
        </button>
        <button type="button" onClick={() => void run(exportsApi.downloadMonthly(villageId()!, month(), 'xlsx'))}>
          {t('exports.xlsx')}
        </button>
        <button type="button" class="primary" onClick={() => void run(exportsApi.printBoard(villageId()!, month()))}>
          {t('exports.board')}
        </button>
        <Show when={hasRole('clerk', 'approver', 'auditor')}>
          <button type="button" onClick={() => void run(exportsApi.printPassbooks(villageId()!, month()))}>
            {t('exports.passbooks')}
          </button>
        </Show>
        <Show when={hasRole('admin')}>
          <button
            type="button"
            onClick={() => void run(exportsApi.rollup(month()).then((r) => setRollup(r.villages ?? [])))}
          >
            {t('exports.rollup')}
          </button>
        </Show>
      </div>
      <ErrorMessage error={error()} />
      <Show when={rollup()}>
        <table>
          <thead>
            <tr>
              <th class="num">#</th>
              <th>{t('admin.villageName')}</th>
              <th class="num">{t('nav.households')}</th>
              <th class="num">{t('dashboard.participation')}</th>
              <th class="num">{t('dashboard.issued')}</th>
              <th class="num">{t('dashboard.outstanding')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={rollup()!}>
              {(r) => (
                <tr>
                  <td class="num">{r.rank}</td>
                  <td>{r.name}</td>
                  <td class="num">{fmt(r.households)}</td>
                  <td class="num">{fmt(r.participating)}</td>
                  <td class="num">{fmt(r.issued)}</td>
                  <td class="num">{fmt(r.outstanding)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
      <Show when={villageId()}>{(v) => <CheckpointVerify villageId={v()} />}</Show>
    </section>
  )
}
