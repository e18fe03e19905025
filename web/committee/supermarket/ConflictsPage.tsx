import { createResource, createSignal, For, Show } from 'solid-js'
import { settleConflictInput } from '../../../shared/schemas/counter'
import type { RedemptionConflict } from '../../../shared/types/counter'
import { serverWords } from '../../api/client'
import { counter, counterLabel } from '../../api/counter'
import { households } from '../../api/households'
import { fmt, fmtDateTime, t, tMaybe } from '../../i18n'
import { hasRole, villageId } from '../../session'
import { askText } from '../../ui/ask'
import { Loaded } from '../../ui/Loaded'
import { ErrorMessage, Message } from '../../ui/Message'

type Status = 'open' | 'settled'
/** The reason's own rule, checked in the dialog before anything is sent. */
const reasonInput = settleConflictInput.pick({ reason: true })

/** Why the server could not post the sale when it arrived, in the village's words. */
const whyRefused = (c: RedemptionConflict) =>
  tMaybe(`error.${c.error.code}`) ?? (serverWords(c.error.message) || c.error.code)

/**
 * 离线兑换冲突: sales a counter made without the network that the ledger could no longer cover when they came
 * home (the household spent the same points at another counter, the stock ran out, the card was revoked, a wrong
 * PIN). Nothing was charged and nothing was dropped; an approver decides here: charge what the household has now
 * and write off the rest with a reason, or record that the goods came back. Each conflict shows what that would
 * charge, from the household's balance now, before the approver presses anything.
 */
export default function ConflictsPage() {
  const [status, setStatus] = createSignal<Status>('open')
  const [list, { refetch }] = createResource(
    () => [villageId(), status()] as const,
    async ([v, s]) => {
      const page = await counter.conflicts(v!, { status: s })
      // The household's balance now: what charging would take (never below zero), asked once per household.
      const ids = [...new Set(page.items.flatMap((c) => (c.status === 'open' && c.householdId ? [c.householdId] : [])))]
      const balances = new Map(
        await Promise.all(ids.map(async (id) => [id, (await households.get(id)).balance] as const)),
      )
      return { items: page.items, balances }
    },
  )
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')
  const approver = () => hasRole('approver')

  async function settle(c: RedemptionConflict, action: 'charge-available' | 'returned') {
    setError(null)
    const reason = await askText(t(action === 'returned' ? 'conflicts.returnedReason' : 'conflicts.chargeReason'), {
      schema: reasonInput,
      field: 'reason',
    })
    if (!reason) return
    try {
      const done = await counter.settle(c.id, { action, reason })
      setNotice(`${c.householdNo ?? ''} ${c.headName ?? ''}: ${outcome(done)}`)
      void refetch()
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section>
      <h1>{t('conflicts.title')}</h1>
      <p class="muted">{t('conflicts.intro')}</p>
      <div class="row">
        <For each={['open', 'settled'] as Status[]}>
          {(s) => (
            <button
              type="button"
              classList={{ primary: status() === s }}
              aria-pressed={status() === s}
              onClick={() => setStatus(s)}
            >
              {t(`conflicts.status.${s}`)}
            </button>
          )}
        </For>
      </div>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <ErrorMessage error={error()} />
      <Loaded resource={list} retry={refetch}>
        {(data) => (
          <For
            each={data.items}
            fallback={<p class="muted">{t(status() === 'open' ? 'conflicts.noneOpen' : 'conflicts.noneSettled')}</p>}
          >
            {(c) => {
              const balance = () => (c.householdId ? data.balances.get(c.householdId) : undefined)
              const charge = () => Math.max(0, Math.min(balance() ?? 0, c.points))
              return (
                <article class="card" data-conflict={c.id} data-status={c.status}>
                  <h2>
                    {c.householdNo ?? '—'} {c.headName ?? t('conflicts.unknownHousehold')}
                  </h2>
                  <p>
                    {t('conflicts.soldAt', {
                      time: fmtDateTime(c.soldAt),
                      counter: c.counterId ? counterLabel(c.counterId) : '—',
                    })}
                  </p>
                  <ul>
                    <For each={c.items}>
                      {(i) => (
                        <li>
                          {i.name ?? i.productId} × {fmt(i.quantity)}
                        </li>
                      )}
                    </For>
                  </ul>
                  <p data-testid="conflict-points">{t('conflicts.points', { n: fmt(c.points) })}</p>
                  <p class="minus" data-testid="conflict-why">
                    {t('conflicts.why', { why: whyRefused(c) })}
                  </p>
                  <Show when={c.status === 'open'}>
                    <Show when={balance() !== undefined}>
                      <p data-testid="conflict-would">
                        {t('conflicts.would', {
                          balance: fmt(balance()!),
                          charge: fmt(charge()),
                          off: fmt(c.points - charge()),
                        })}
                      </p>
                    </Show>
                    <Show when={approver()} fallback={<p class="muted">{t('conflicts.approverOnly')}</p>}>
                      <div class="row">
                        <Show when={c.householdId}>
                          <button type="button" class="primary" onClick={() => void settle(c, 'charge-available')}>
                            {t('conflicts.charge')}
                          </button>
                        </Show>
                        <button type="button" onClick={() => void settle(c, 'returned')}>
                          {t('conflicts.returned')}
                        </button>
                      </div>
                    </Show>
                  </Show>
                  <Show when={c.status === 'settled'}>
                    <p class="plus" data-testid="conflict-outcome">
                      {outcome(c)}
                    </p>
                    <p class="muted">
                      {t('conflicts.settledBy')}
                      <span class="user-data">{c.settledBy ?? '—'}</span>
                      {t('conflicts.settledWhen', {
                        time: c.settledAt ? fmtDateTime(c.settledAt) : '',
                        reason: c.settledReason ?? '',
                      })}
                    </p>
                  </Show>
                </article>
              )
            }}
          </For>
        )}
      </Loaded>
    </section>
  )
}

/** What settling did, as the approver and the auditor read it. */
function outcome(c: RedemptionConflict): string {
  if (c.settledAction === 'returned') return t('conflicts.outcomeReturned')
  return t('conflicts.outcomeCharged', { charged: fmt(c.charged ?? 0), off: fmt(c.writtenOff ?? 0) })
}
