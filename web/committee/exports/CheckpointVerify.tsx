import { createSignal, For, Show } from 'solid-js'
import type { VerifyResult } from '../../../shared/types/ledger'
import { ledger } from '../../api/ledger'
import { fmt, t } from '../../i18n'
import { ErrorMessage } from '../../ui/Message'

/** One checkpoint, a list, `{checkpoints: [...]}` or an export's `{checkpoint}`; also one JSON per line (QR photos). */
export function readCheckpoints(text: string): unknown[] | null {
  const pick = (raw: unknown): unknown[] => {
    if (Array.isArray(raw)) return raw
    const o = raw as { checkpoints?: unknown; checkpoint?: unknown }
    if (Array.isArray(o?.checkpoints)) return o.checkpoints
    if (o?.checkpoint) return [o.checkpoint]
    return [raw]
  }
  try {
    return pick(JSON.parse(text))
  } catch {
    try {
      return text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .flatMap((l) => pick(JSON.parse(l)))
    } catch {
      return null
    }
  }
}

/** The auditor's check: the checkpoints they keep outside the office, against the chain in the database. */
export default function CheckpointVerify(props: { villageId: string }) {
  const [text, setText] = createSignal('')
  const [result, setResult] = createSignal<VerifyResult | null>(null)
  const [error, setError] = createSignal<unknown>(null)
  const verify = async () => {
    setError(null)
    setResult(null)
    const list = readCheckpoints(text())
    if (!list) return setError(new Error(t('exports.checkpointsUnreadable')))
    try {
      setResult(await ledger.verifyWith(props.villageId, list))
    } catch (err) {
      setError(err)
    }
  }
  const upload = async (file: File | undefined) => file && setText(await file.text())
  const current = async () => {
    try {
      const c = await ledger.checkpoint(props.villageId)
      setText((prev) => (prev.trim() ? `${prev.trim()}\n` : '') + JSON.stringify(c))
    } catch (err) {
      setError(err)
    }
  }
  return (
    <section class="checkpoint-verify">
      <h2>{t('exports.checkpoints')}</h2>
      <p class="muted">{t('exports.checkpointsHelp')}</p>
      <textarea
        rows={6}
        style={{ width: '100%', 'font-family': 'monospace' }}
        value={text()}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <div class="row">
        <label class="inline">
          {t('exports.checkpointsUpload')}
          <input
            type="file"
            accept=".json,application/json,text/plain"
            onChange={(e) => void upload(e.currentTarget.files?.[0])}
          />
        </label>
        <button type="button" onClick={() => void current()}>
          {t('exports.checkpointsCurrent')}
        </button>
        <button type="button" class="primary" onClick={() => void verify()}>
          {t('exports.checkpointsVerify')}
        </button>
      </div>
      <ErrorMessage error={error()} />
      <Show when={result()}>
        {(r) => (
          <div class={r().ok ? 'plus' : 'banner-bad'} role="status">
            <Show when={r().ok} fallback={<strong>{t('exports.checkpointsBad')}</strong>}>
              {t('exports.checkpointsOk', { n: fmt(r().checkpoints?.checked ?? 0), entries: fmt(r().entries) })}
            </Show>
            <Show when={r().firstBad}>
              {(b) => (
                <p>
                  #{b().seq ?? '—'}: {b().problem}
                </p>
              )}
            </Show>
            <ul>
              <For each={r().checkpoints?.failed ?? []}>
                {(f) => (
                  <li>
                    seq {f.checkpoint.seq} · {f.checkpoint.at} · {f.checkpoint.head.slice(0, 16)}…: {f.problem}
                  </li>
                )}
              </For>
            </ul>
          </div>
        )}
      </Show>
    </section>
  )
}
