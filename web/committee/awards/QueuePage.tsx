import { createResource, createSignal, For, Show } from 'solid-js'
import { reasonInput } from '../../../shared/schemas/awards'
import type { ApproveResult, AwardDetail, LimitProblem } from '../../../shared/types/awards'
import { awards as awardsApi } from '../../api/awards'
import { fmt, t } from '../../i18n'
import { currentUser, villageId } from '../../session'
import { askConfirm, askText } from '../../ui/ask'
import { Loaded } from '../../ui/Loaded'
import { ErrorMessage, Message } from '../../ui/Message'
import { AdjustmentQueue } from './AdjustmentQueue'
import { AwardCard } from './AwardCard'

const PERIOD_KEYS = {
  day: 'awards.per.day',
  week: 'awards.per.week',
  month: 'awards.per.month',
  year: 'awards.per.year',
} as const

/** 0003 王秀英：已得 2 次，待批 1 次，每月最多 2 次 */
export function limitProblemLine(p: LimitProblem): string {
  return t('awards.limitLine', {
    no: p.householdNo,
    name: p.headName,
    count: p.count,
    per: t(PERIOD_KEYS[p.period]),
    limit: p.limit,
  })
}

/**
 * Pending awards with everything an approver needs to decide (households and the member who did the deed,
 * photos, approvals so far). Issue 17: one's own proposals and those one already approved say 等待其他审批人
 * instead of offering 批准; households a rule limit would refuse are named, and the approver posts the others or
 * rejects; several awards can be approved at once with one confirmation.
 */
export default function QueuePage() {
  const [awards, { refetch }] = createResource(villageId, async (v) => {
    const page = await awardsApi.list(v, { status: 'pending', limit: 100 })
    return Promise.all(page.items.map(async (a) => ({ ...a, ...(await awardsApi.get(a.id).catch(() => ({}))) })))
  })
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')
  const [budget, setBudget] = createSignal<{ outstanding: number; stockValue: number } | null>(null)
  const [chosen, setChosen] = createSignal<Set<string>>(new Set())

  const me = () => currentUser()?.id
  /** Why this approver may not approve it: their own proposal, or already approved by them. */
  const waiting = (a: AwardDetail) => a.proposedBy === me() || !!a.approvals?.some((x) => x.userId === me())
  const problems = (a: AwardDetail) => a.limitProblems ?? []
  const approvable = (a: AwardDetail) => !waiting(a) && problems(a).length === 0

  function done(res: ApproveResult | null, text: string) {
    if (res) setBudget(res.budgetWarning ?? null)
    setNotice(text)
    setChosen(new Set<string>())
    void refetch()
  }

  async function decide(a: AwardDetail, action: 'approve' | 'reject' | 'approveOthers') {
    let reason = ''
    if (action === 'reject') {
      reason = (await askText(t('awards.rejectReason'), { schema: reasonInput, field: 'reason' })) ?? ''
      if (!reason) return
    }
    setError(null)
    setNotice('')
    try {
      const res: ApproveResult =
        action === 'reject'
          ? await awardsApi.reject(a.id, reason)
          : await awardsApi.approve(
              a.id,
              action === 'approveOthers' ? { excludeHouseholdIds: problems(a).map((p) => p.householdId) } : {},
            )
      done(
        res,
        `${action === 'reject' ? t('awards.rejected') : t('awards.approved')}: ${a.rule?.name ?? ''} → ${t(`awards.status.${res.status}`) ?? res.status}`,
      )
    } catch (e) {
      setError(e)
      void refetch()
    }
  }

  async function approveChosen(list: AwardDetail[]) {
    const picked = list.filter((a) => chosen().has(a.id) && approvable(a))
    if (picked.length === 0) return
    const lines = picked.map((a) => `${a.rule?.name ?? ''} × ${t('awards.households', { n: fmt(a.householdCount) })}`)
    if (!(await askConfirm(t('awards.approveManyConfirm', { n: picked.length }), lines))) return
    setError(null)
    let ok = 0
    let last: ApproveResult | null = null
    for (const a of picked) {
      try {
        last = await awardsApi.approve(a.id)
        ok++
      } catch (e) {
        setError(e)
      }
    }
    done(last, t('awards.approvedMany', { n: ok }))
  }

  return (
    <section>
      <h1>{t('awards.queueTitle')}</h1>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <Show when={budget()}>
        {(b) => (
          <Message kind="warn">
            {t('awards.budgetWarning', { outstanding: fmt(b().outstanding), stock: fmt(b().stockValue) })}
          </Message>
        )}
      </Show>
      <ErrorMessage error={error()} />
      <Loaded resource={awards} retry={refetch}>
        {(list) => (
          <>
            <Show when={list.some(approvable)}>
              <div class="row">
                <button type="button" onClick={() => setChosen(new Set(list.filter(approvable).map((a) => a.id)))}>
                  {t('awards.chooseAll')}
                </button>
                <button
                  type="button"
                  class="primary"
                  disabled={chosen().size === 0}
                  onClick={() => void approveChosen(list)}
                >
                  {t('awards.approveMany', { n: chosen().size })}
                </button>
              </div>
            </Show>
            <For each={list} fallback={<p class="muted">{t('app.none')}</p>}>
              {(a) => (
                <AwardCard award={a}>
                  <span data-testid="approvals">
                    {t('awards.approvalsSoFar', { n: a.approvals?.length ?? 0, of: a.requiredApprovals ?? 1 })}
                  </span>
                  <Show when={problems(a).length && !waiting(a)}>
                    <div class="message warn" data-testid="limit-problems" style={{ 'flex-basis': '100%' }}>
                      <b>{t('awards.limitProblems', { n: problems(a).length })}</b>
                      <ul>
                        <For each={problems(a)}>{(p) => <li>{limitProblemLine(p)}</li>}</For>
                      </ul>
                    </div>
                  </Show>
                  <Show
                    when={!waiting(a)}
                    fallback={
                      <span class="muted" data-testid="waiting">
                        {t('awards.waitingOthers')}
                      </span>
                    }
                  >
                    <Show
                      when={problems(a).length}
                      fallback={
                        <>
                          <label>
                            <input
                              type="checkbox"
                              aria-label={t('awards.choose', { name: a.rule?.name ?? '' })}
                              checked={chosen().has(a.id)}
                              onChange={(e) => {
                                const next = new Set(chosen())
                                e.currentTarget.checked ? next.add(a.id) : next.delete(a.id)
                                setChosen(next)
                              }}
                            />{' '}
                            {t('awards.choose', { name: '' })}
                          </label>
                          <button type="button" class="primary" onClick={() => void decide(a, 'approve')}>
                            {t('awards.approve')}
                          </button>
                        </>
                      }
                    >
                      <Show
                        when={
                          problems(a).length <
                          (a.households?.filter((h) => !h.excludedReason).length ?? a.householdCount)
                        }
                      >
                        <button type="button" class="primary" onClick={() => void decide(a, 'approveOthers')}>
                          {t('awards.approveOthers', {
                            n:
                              (a.households?.filter((h) => !h.excludedReason).length ?? a.householdCount) -
                              problems(a).length,
                          })}
                        </button>
                      </Show>
                    </Show>
                    <button type="button" class="danger" onClick={() => void decide(a, 'reject')}>
                      {t('awards.reject')}
                    </button>
                  </Show>
                </AwardCard>
              )}
            </For>
          </>
        )}
      </Loaded>
      <AdjustmentQueue />
    </section>
  )
}
