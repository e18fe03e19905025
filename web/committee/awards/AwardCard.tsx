import { createResource, For, type JSX, onCleanup, Show } from 'solid-js'
import { awards } from '../../api/awards'
import { fmt, fmtDateTime, t, tMaybe } from '../../i18n'
import type { AwardDetail } from '../../../shared/types/awards'

/** An evidence photo: fetched with the login (an <img src> cannot send it), shown from memory. */
function EvidencePhoto(props: { awardId: string; evidenceId: string }) {
  const [url] = createResource(async () => URL.createObjectURL(await awards.evidence(props.awardId, props.evidenceId)))
  onCleanup(() => url() && URL.revokeObjectURL(url()!))
  return (
    <Show when={url()}>
      <a href={url()} target="_blank" rel="noopener">
        <img src={url()} alt={t('awards.evidence')} style={{ height: '120px', border: '2px solid #000' }} />
      </a>
    </Show>
  )
}

/** One award as a card: rule, points, households, who proposed it, notes, photos, objections; actions below. */
export function AwardCard(props: { award: AwardDetail; detail?: AwardDetail; children?: JSX.Element }) {
  const a = () => ({ ...props.award, ...(props.detail ?? {}) })
  const points = () => a().rule?.points ?? 0
  return (
    <article class="card" data-award={a().id} data-status={a().status}>
      <div class="row">
        <b style={{ 'font-size': '1.2rem' }}>{a().rule?.name ?? a().ruleId}</b>
        <span class={points() >= 0 ? 'plus' : 'minus'}>
          {points() > 0 ? '+' : ''}
          {fmt(points())}
        </span>
        <span>× {t('awards.households', { n: fmt(a().householdCount ?? a().households?.length ?? 0) })}</span>
        <span class="spacer" />
        <span class="message" style={{ margin: 0, padding: '0.1rem 0.6rem' }}>
          {tMaybe(`awards.status.${a().status}`) ?? a().status}
        </span>
      </div>
      <p class="muted">
        {a().rule?.category} · {t('awards.occurredOn')} {a().occurredOn}
        <Show when={a().proposedByName || a().proposedAt}>
          {' '}
          · {t('awards.proposedBy')} {a().proposedByName ?? ''} {a().proposedAt ? fmtDateTime(a().proposedAt!) : ''}
        </Show>
        <Show when={a().noticeUntil}> · {t('awards.noticeUntil', { date: fmtDateTime(a().noticeUntil!) })}</Show>
      </p>
      <Show when={a().note}>
        <p>{a().note}</p>
      </Show>
      <Show when={a().reason}>
        <p class="minus">{a().reason}</p>
      </Show>
      <Show when={a().households?.length}>
        <p data-testid="award-households">
          <b>{t('awards.householdList')}:</b>{' '}
          {a()
            .households!.slice(0, 60)
            .map(
              (h) =>
                `${h.householdNo} ${h.headName}${h.memberName ? `（${h.memberName}）` : ''}${h.excludedReason ? `［${t('awards.excluded')}］` : ''}`,
            )
            .join('、')}
          {a().households!.length > 60 ? ' …' : ''}
        </p>
      </Show>
      <Show when={a().evidence?.length}>
        <div class="row">
          <b>{t('awards.evidence')}:</b>
          <For each={a().evidence}>{(e) => <EvidencePhoto awardId={a().id} evidenceId={e.id} />}</For>
        </div>
      </Show>
      <Show when={a().objections?.length}>
        <div>
          <b>{t('awards.objections')}:</b>
          <ul>
            <For each={a().objections}>
              {(o) => (
                <li>
                  {o.text}{' '}
                  <span class="muted">
                    — {o.raisedBy ?? ''} {fmtDateTime(o.at)}
                  </span>
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
      <Show when={props.children}>
        <div class="row">{props.children}</div>
      </Show>
    </article>
  )
}
