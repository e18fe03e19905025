import { createResource, createSignal, For, Show } from 'solid-js'
import type { MeNotice } from '../../shared/types/villager'
import { messageOf } from '../api/client'
import { villager } from '../api/villager'
import { fmtDateTime, t } from '../i18n'

/** The village's awards on public notice (others' names masked as on the board), and an objection to one. */
export function Notices() {
  const [notices, { refetch }] = createResource(() => villager.notices())
  // Kept here: the list is drawn afresh after an objection, and the confirmation must outlive it.
  const [sent, setSent] = createSignal('')
  return (
    <section>
      <Show when={sent()}>
        <p class="me-note" role="status">
          {sent()}
        </p>
      </Show>
      <Show when={notices()} fallback={<p>{t('app.loading')}</p>}>
        {(n) => (
          <Show when={n().items.length} fallback={<p>{t('me.notices.empty')}</p>}>
            <ul class="me-list">
              <For each={n().items}>
                {(notice) => (
                  <Notice notice={notice} onObjected={() => (setSent(t('me.notices.objectSent')), void refetch())} />
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  )
}

function Notice(props: { notice: MeNotice; onObjected: () => void }) {
  const [open, setOpen] = createSignal(false)
  const [text, setText] = createSignal('')
  const [message, setMessage] = createSignal('')
  const n = props.notice
  async function send(e: Event) {
    e.preventDefault()
    try {
      await villager.object(n.id, text())
      setOpen(false)
      setText('')
      props.onObjected()
    } catch (err) {
      setMessage(messageOf(err))
    }
  }
  return (
    <li class="me-entry">
      <div class="me-entry-main">
        <span class="me-entry-what">{n.rule.name}</span>
        <span class="me-entry-amount">+{n.rule.points}</span>
      </div>
      <div>{n.households.map((h) => `${h.householdNo} ${h.headName}`).join('、')}</div>
      <Show when={n.note}>
        <div class="me-muted">{n.note}</div>
      </Show>
      <div class="me-muted">
        {n.occurredOn}
        <Show when={n.noticeUntil}> · {t('me.notices.until', { date: fmtDateTime(n.noticeUntil!) })}</Show>
        <Show when={n.objections}> · {t('me.notices.objections', { n: n.objections })}</Show>
      </div>
      <Show when={message()}>
        <p class="me-note" role="status">
          {message()}
        </p>
      </Show>
      <Show
        when={open()}
        fallback={
          <button type="button" onClick={() => setOpen(true)}>
            {t('me.notices.object')}
          </button>
        }
      >
        <form class="me-form" onSubmit={send}>
          <label>
            {t('me.notices.objectText')}
            <textarea rows={3} maxlength={1000} value={text()} onInput={(e) => setText(e.currentTarget.value)} />
          </label>
          <button type="submit" class="me-big" disabled={!text().trim()}>
            {t('me.notices.objectSend')}
          </button>
        </form>
      </Show>
    </li>
  )
}
