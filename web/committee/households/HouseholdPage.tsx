import { useParams } from '@solidjs/router'
import { createResource, createSignal, Show } from 'solid-js'
import type { Household } from '../../../shared/types/households'
import type { IssuedCard } from '../../../shared/types/cards'
import { cards } from '../../api/cards'
import { messageOf } from '../../api/client'
import { households } from '../../api/households'
import { fmt, t } from '../../i18n'
import { hasRole, villageId } from '../../session'
import { Loaded } from '../../ui/Loaded'
import { ErrorMessage, Message } from '../../ui/Message'
import { HouseholdForm } from './HouseholdForm'
import { LedgerView } from './LedgerView'
import { MembersPanel } from './MembersPanel'
import { SuspensionPanel } from './SuspensionPanel'
import { TagsPanel } from '../tags/TagsPanel'

export default function HouseholdPage() {
  const params = useParams<{ id: string }>()
  const [household, { refetch, mutate }] = createResource(
    () => params.id,
    (id) => households.get(id),
  )
  const [editing, setEditing] = createSignal(false)
  const [card, setCard] = createSignal<IssuedCard | null>(null)
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')

  async function issueCard() {
    setError(null)
    try {
      const c = await cards.issue(params.id)
      setCard(c)
      setNotice(t('households.cardIssued', { serial: c.serial }))
    } catch (e) {
      setError(e)
    }
  }
  async function printCard() {
    try {
      await cards.print(villageId()!, [params.id])
    } catch (e) {
      setError(e)
    }
  }

  const header = (
    <Loaded resource={household} retry={refetch}>
      {(h) => (
        <section>
          <h1>
            {h.headName} <span class="muted">({t('kiosk.householdNo', { no: h.householdNo })})</span>
          </h1>
          <div class="stats">
            <div class="stat">
              <div class="label">{t('households.balance')}</div>
              <div class="value" data-testid="household-balance">
                {fmt(h.balance)}
              </div>
            </div>
            <div class="stat">
              <div class="label">{t('households.honour')}</div>
              <div class="value">{fmt(h.honour ?? 0)}</div>
            </div>
          </div>
          <p>
            {t('households.phone')}: {h.phone ?? '—'}　{t('households.address')}: {h.address ?? '—'}
          </p>
          <Show when={hasRole('clerk')}>
            <div class="row">
              <button type="button" onClick={() => setEditing(!editing())}>
                {t('households.edit')}
              </button>
              <button type="button" onClick={issueCard}>
                {t('households.issueCard')}
              </button>
              <button type="button" onClick={printCard}>
                {t('households.printCard')}
              </button>
            </div>
          </Show>
          <Show when={editing()}>
            <div class="card">
              <HouseholdForm
                household={h}
                onSaved={(saved) => (mutate(saved), setEditing(false), setNotice(t('app.saved')))}
                onCancel={() => setEditing(false)}
              />
            </div>
          </Show>
          <Show when={notice()}>
            <Message kind="ok">{notice()}</Message>
          </Show>
          <ErrorMessage error={error()} />
          <Show when={card()}>
            {(c) => (
              <div class="card row">
                <div style={{ width: '180px' }} innerHTML={c().svg} />
                <div>
                  <b>{t('households.card')}</b> {c().serial}
                </div>
              </div>
            )}
          </Show>
          <TagsPanel household={h} />
          <MembersPanel household={h} onChanged={(saved) => mutate(saved)} />
          <Show when={hasRole('approver')}>
            <SuspensionPanel household={h} onChanged={(saved) => mutate(saved)} />
          </Show>
        </section>
      )}
    </Loaded>
  )

  return (
    <>
      {header}
      {/* Outside the household's block: refreshing the balance after a reversal keeps the ledger's month and message. */}
      <LedgerView householdId={params.id} onChanged={() => void refetch()} onError={(e) => setNotice(messageOf(e))} />
    </>
  )
}
