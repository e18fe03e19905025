import { createResource, createSignal, For, Show } from 'solid-js'
import { reasonInput } from '../../../shared/schemas/awards'
import type { LedgerLine } from '../../../shared/types/ledger'
import { ledger as ledgerApi } from '../../api/ledger'
import { fmt, fmtDateTime, t, tMaybe } from '../../i18n'
import { hasRole } from '../../session'
import { askText } from '../../ui/ask'
import { Loaded } from '../../ui/Loaded'
import { AdjustmentForm } from './AdjustmentForm'
import { ErrorMessage, Message } from '../../ui/Message'

const thisMonth = () => new Date().toISOString().slice(0, 7)

/** A household's entries with the running balance; an approver reverses a wrong one, with a reason. */
export function LedgerView(props: { householdId: string; onChanged: () => void; onError: (e: unknown) => void }) {
  const [month, setMonth] = createSignal('')
  const [ledger, { refetch }] = createResource(
    () => ({ id: props.householdId, month: month() }),
    (k) => ledgerApi.household(k.id, { month: k.month }),
  )
  const [error, setError] = createSignal<unknown>(null)
  const [done, setDone] = createSignal('')

  async function reverse(entry: LedgerLine) {
    const reason = await askText(t('ledger.reverseReason'), { schema: reasonInput, field: 'reason' })
    if (!reason) return
    setError(null)
    try {
      await ledgerApi.reverse(entry.id, reason)
      setDone(t('ledger.reverseDone'))
      void refetch()
      props.onChanged()
    } catch (e) {
      setError(e)
    }
  }
  const passbook = () => ledgerApi.printPassbook(props.householdId, month() || thisMonth()).catch(setError)

  return (
    <section>
      <h2>{t('ledger.title')}</h2>
      <div class="row">
        <label class="inline">
          {t('ledger.month')}
          <input type="month" value={month()} onInput={(e) => setMonth(e.currentTarget.value)} />
        </label>
        <button type="button" onClick={() => setMonth('')}>
          {t('ledger.allMonths')}
        </button>
        <button type="button" onClick={() => void passbook()}>
          {t('ledger.passbook')}
        </button>
      </div>
      <Show when={hasRole('approver')}>
        <AdjustmentForm householdId={props.householdId} onDone={() => (void refetch(), props.onChanged())} />
      </Show>
      <Show when={done()}>
        <Message kind="ok">{done()}</Message>
      </Show>
      <ErrorMessage error={error()} />
      <Loaded resource={ledger} retry={refetch}>
        {(l) => (
          <>
            <p>
              {t('ledger.opening')} <b>{fmt(l.openingBalance)}</b>　{t('ledger.closing')} <b>{fmt(l.closingBalance)}</b>
            </p>
            <table data-testid="ledger">
              <thead>
                <tr>
                  <th>{t('ledger.at')}</th>
                  <th>{t('ledger.kind')}</th>
                  <th>{t('ledger.memo')}</th>
                  <th class="num">{t('ledger.amount')}</th>
                  <th class="num">{t('ledger.balanceAfter')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                <For
                  each={l.entries}
                  fallback={
                    <tr>
                      <td colspan="6" class="muted">
                        {t('app.none')}
                      </td>
                    </tr>
                  }
                >
                  {(e) => (
                    <tr data-kind={e.kind}>
                      <td>{fmtDateTime(e.at)}</td>
                      <td>{tMaybe(`ledger.kind.${e.kind}`) ?? e.kind}</td>
                      <td>{e.memo}</td>
                      <td class={`num ${e.amount >= 0 ? 'plus' : 'minus'}`}>
                        {e.amount > 0 ? '+' : ''}
                        {fmt(e.amount)}
                      </td>
                      <td class="num">{fmt(e.balanceAfter)}</td>
                      <td>
                        <Show
                          when={e.reversedBy}
                          fallback={
                            <Show when={hasRole('approver') && e.kind !== 'reversal'}>
                              <button type="button" class="danger" onClick={() => void reverse(e)}>
                                {t('ledger.reverse')}
                              </button>
                            </Show>
                          }
                        >
                          <span class="muted">{t('ledger.reversed')}</span>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </>
        )}
      </Loaded>
    </section>
  )
}
