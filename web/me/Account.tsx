import { createResource, createSignal, For, Show } from 'solid-js'
import type { MeAccount, MeLedgerLine } from '../../shared/types/villager'
import { fmt, locale, t, tMaybe } from '../i18n'
import { speak, speechAvailable } from '../kiosk/speech'
import { villager } from '../api/villager'

const thisMonth = () => {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
}

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const d = new Date(y, m - 1 + by, 1)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
}

const day = (iso: string) => new Date(iso).toLocaleDateString(locale(), { month: 'long', day: 'numeric' })
const what = (e: MeLedgerLine) => e.ruleName ?? tMaybe(`ledger.kind.${e.kind}`) ?? e.memo
const signed = (n: number) => (n > 0 ? `+${fmt(n)}` : fmt(n))

/** Balance, honour and place, large; the month's history below; a button that reads it aloud. */
export function Account(props: { account: MeAccount | undefined }) {
  const [month, setMonth] = createSignal(thisMonth())
  const [ledger] = createResource(month, (m) => villager.ledger(m))

  function readAloud() {
    const a = props.account
    if (!a) return
    const parts = [
      t('me.speech.summary', {
        name: a.household.headName,
        balance: a.balance,
        honour: a.honour,
        position: a.rank.position,
      }),
    ]
    const entries = ledger()?.entries ?? []
    if (!entries.length) parts.push(t('me.speech.none'))
    for (const e of entries.slice(-3).reverse())
      parts.push(t('me.speech.entry', { date: day(e.at), what: what(e), amount: e.amount }))
    speak(parts.join(''), true)
  }

  return (
    <section class="me-account">
      <Show when={props.account}>
        {(a) => (
          <div class="me-figures">
            <div class="me-balance">
              <span class="me-label">{t('me.balance')}</span>
              <span class="me-value" data-testid="balance">
                {fmt(a().balance)}
              </span>
            </div>
            <div class="me-row">
              <div>
                <span class="me-label">{t('me.honour')}</span>
                <span class="me-value-small" data-testid="honour">
                  {fmt(a().honour)}
                </span>
              </div>
              <div class="me-rank" data-testid="rank" title={t('me.rankBy')}>
                {t('me.rank', { position: a().rank.position, of: a().rank.of })}
              </div>
            </div>
            <Show when={speechAvailable()}>
              <button type="button" class="me-big me-speak" onClick={readAloud}>
                {t('me.speak')}
              </button>
            </Show>
          </div>
        )}
      </Show>

      <h2>{t('me.history')}</h2>
      <div class="me-months">
        <button type="button" onClick={() => setMonth(shiftMonth(month(), -1))} aria-label={t('me.month.prev')}>
          ‹
        </button>
        <strong data-testid="month">{month()}</strong>
        <button
          type="button"
          onClick={() => setMonth(shiftMonth(month(), 1))}
          disabled={month() >= thisMonth()}
          aria-label={t('me.month.next')}
        >
          ›
        </button>
      </div>
      <Show when={ledger()} fallback={<p>{t('app.loading')}</p>}>
        {(l) => (
          <>
            <p class="me-muted">
              {t('me.month.opening', { n: fmt(l().openingBalance) })} ·{' '}
              {t('me.month.closing', { n: fmt(l().closingBalance) })}
            </p>
            <Show when={l().entries.length} fallback={<p>{t('me.month.empty')}</p>}>
              <ul class="me-list">
                <For each={[...l().entries].reverse()}>{(e) => <Entry entry={e} />}</For>
              </ul>
            </Show>
          </>
        )}
      </Show>
    </section>
  )
}

function Entry(props: { entry: MeLedgerLine }) {
  const [photos, setPhotos] = createSignal<string[]>([])
  const e = props.entry
  async function showPhotos() {
    setPhotos(await Promise.all(e.evidenceIds.map((id) => villager.evidenceUrl(id))))
  }
  return (
    <li class="me-entry" classList={{ minus: e.amount < 0 }}>
      <div class="me-entry-main">
        <span class="me-entry-what">{what(e)}</span>
        <span class="me-entry-amount">{signed(e.amount)}</span>
      </div>
      <div class="me-muted">
        {day(e.at)}
        <Show when={e.memberName}> · {t('me.entry.member', { name: e.memberName! })}</Show>
        <Show when={e.reversedBy}> · {t('me.entry.reversed')}</Show>
      </div>
      <Show when={e.evidenceIds.length && !photos().length}>
        <button type="button" onClick={() => void showPhotos()}>
          {t('me.entry.photo')}
        </button>
      </Show>
      <For each={photos()}>{(src) => <img class="me-photo" src={src} alt={t('me.entry.photo')} />}</For>
    </li>
  )
}
