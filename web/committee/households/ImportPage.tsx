import { A } from '@solidjs/router'
import { createSignal, For, Match, Show, Switch } from 'solid-js'
import type { RowError } from '../../../shared/types/households'
import { ApiError } from '../../api/client'
import { households } from '../../api/households'
import { t } from '../../i18n'
import { villageId } from '../../session'
import { ErrorMessage, Message } from '../../ui/Message'

type Phase =
  | { kind: 'idle' }
  | { kind: 'reading' }
  | { kind: 'uploading'; sent: number }
  | { kind: 'checking' }
  | { kind: 'done'; created: number }

/**
 * The roster import: the village's spreadsheet saved as CSV. All or nothing: the server either adds every row
 * or reports every bad row by its line number, which the clerk fixes in the spreadsheet.
 */
export default function ImportPage() {
  const [file, setFile] = createSignal<File | null>(null)
  const [phase, setPhase] = createSignal<Phase>({ kind: 'idle' })
  const [rows, setRows] = createSignal<RowError[]>([])
  const [error, setError] = createSignal<unknown>(null)

  async function start(e: Event) {
    e.preventDefault()
    const f = file()
    if (!f) return
    setRows([])
    setError(null)
    setPhase({ kind: 'reading' })
    try {
      // Sent as the bytes on disk: the server reads UTF-8 and the GBK that Chinese Excel writes, and .xlsx (issue 17).
      const xlsx = /\.xlsx$/i.test(f.name)
      const bytes = new Blob([await f.arrayBuffer()], {
        type: xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
      })
      setPhase({ kind: 'uploading', sent: 0 })
      const res = await households.importRoster(villageId()!, bytes, (sent) =>
        setPhase(sent < 1 ? { kind: 'uploading', sent } : { kind: 'checking' }),
      )
      setPhase({ kind: 'done', created: res.created })
    } catch (err) {
      setPhase({ kind: 'idle' })
      if (err instanceof ApiError && err.code === 'INVALID_ROWS' && Array.isArray(err.details))
        setRows(err.details as RowError[])
      else setError(err)
    }
  }

  const percent = () => {
    const p = phase()
    return p.kind === 'uploading'
      ? Math.round(p.sent * 100)
      : p.kind === 'checking' || p.kind === 'done'
        ? 100
        : p.kind === 'reading'
          ? 5
          : 0
  }
  const busy = () => ['reading', 'uploading', 'checking'].includes(phase().kind)

  return (
    <section>
      <h1>{t('import.title')}</h1>
      <p>{t('import.help')}</p>
      <form class="row" onSubmit={start}>
        <label>
          {t('import.choose')}
          <input
            type="file"
            name="roster"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => (setFile(e.currentTarget.files?.[0] ?? null), setPhase({ kind: 'idle' }), setRows([]))}
          />
        </label>
        <button type="submit" class="primary" disabled={!file() || busy()}>
          {t('import.upload')}
        </button>
      </form>
      <Show when={phase().kind !== 'idle'}>
        <div class="progress" role="progressbar" aria-valuenow={percent()} aria-valuemin="0" aria-valuemax="100">
          <div style={{ width: `${percent()}%` }} />
        </div>
        <Switch>
          <Match when={phase().kind === 'reading'}>
            <p>{t('import.reading')}</p>
          </Match>
          <Match when={phase().kind === 'uploading'}>
            <p>{t('import.uploading', { p: percent() })}</p>
          </Match>
          <Match when={phase().kind === 'checking'}>
            <p>{t('import.checking')}</p>
          </Match>
          <Match when={phase().kind === 'done'}>
            <Message kind="ok">
              {t('import.done', { n: (phase() as { created: number }).created })}{' '}
              <A href="/households">{t('nav.households')}</A>
            </Message>
          </Match>
        </Switch>
      </Show>
      <ErrorMessage error={error()} />
      <Show when={rows().length}>
        <Message kind="error">{t('import.errors', { n: rows().length })}</Message>
        <table data-testid="import-errors">
          <thead>
            <tr>
              <th class="num">{t('import.line')}</th>
              <th>{t('import.problem')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(r) => (
                <tr>
                  <td class="num">{r.line}</td>
                  <td>{r.message}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  )
}
