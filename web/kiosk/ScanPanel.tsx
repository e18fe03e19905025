import { createSignal, For, onCleanup, onMount, Show } from 'solid-js'
import type { Household } from '../../shared/types/households'
import { households } from '../api/households'
import { fmt, t } from '../i18n'
import { villageId } from '../session'
import { TagFilter } from '../ui/TagFilter'
import { CameraError, dedupe, startCamera } from './camera'

const CAMERA_KEY = 'gongyi.kiosk.camera'

const secureUrl = () => `https://${location.host}${location.pathname}`

/** The camera preview, started when the scan screen opens (unless the cashier turned it off). */
export function CameraView(props: { onCode: (code: string) => void }) {
  let video!: HTMLVideoElement
  const [state, setState] = createSignal<'off' | 'starting' | 'on' | CameraError['problem']>('off')
  let stop: (() => void) | null = null
  const onCode = dedupe((code) => props.onCode(code))

  async function turnOn() {
    setState('starting')
    try {
      stop = await startCamera(video, onCode)
      setState('on')
      localStorage.setItem(CAMERA_KEY, 'on')
    } catch (e) {
      setState(e instanceof CameraError ? e.problem : 'none')
    }
  }
  function turnOff() {
    stop?.()
    stop = null
    setState('off')
    localStorage.setItem(CAMERA_KEY, 'off')
  }
  onMount(() => {
    if (localStorage.getItem(CAMERA_KEY) !== 'off') void turnOn()
  })
  onCleanup(() => stop?.())

  const problem = () => {
    const s = state()
    if (s === 'insecure') return t('kiosk.cameraInsecure')
    if (s === 'none') return t('kiosk.cameraNone')
    if (s === 'denied') return t('kiosk.cameraDenied')
    if (s === 'decoder') return t('kiosk.cameraDecoderFailed')
    return ''
  }
  return (
    <div class="camera" data-state={state()}>
      <video ref={video} class="camera-video" classList={{ hidden: state() !== 'on' }} aria-label={t('kiosk.camera')} />
      <Show when={state() === 'starting'}>
        <p>{t('kiosk.cameraStarting')}</p>
      </Show>
      <Show when={problem()}>
        <p class="muted" data-testid="camera-problem">
          {problem()}
        </p>
      </Show>
      <Show when={state() === 'insecure'}>
        {/* The server answers https on the same port (server/tls/listener.ts): the secure address is this one's twin. */}
        <p class="muted" data-testid="camera-how">
          {t('kiosk.cameraInsecureHow', { url: secureUrl() })} <a href="/setup">{t('kiosk.cameraSetupLink')}</a>
        </p>
      </Show>
      <Show
        when={state() === 'on'}
        fallback={
          <button type="button" onClick={turnOn} disabled={state() === 'starting'}>
            {t('kiosk.cameraStart')}
          </button>
        }
      >
        <button type="button" onClick={turnOff}>
          {t('kiosk.cameraStop')}
        </button>
      </Show>
    </div>
  )
}

/** Finding a household by number, name or pinyin initials, for a villager who forgot the card. */
export function HouseholdSearch(props: { onPick: (h: Household) => void }) {
  const [q, setQ] = createSignal('')
  const [tag, setTag] = createSignal('')
  const [found, setFound] = createSignal<Household[] | null>(null)
  const [error, setError] = createSignal('')
  /** The next page of the same search (the best matches come first; more on 加载更多, the list scrolls). */
  const [more, setMore] = createSignal<string | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let seq = 0

  function onInput(value: string) {
    setQ(value)
    clearTimeout(timer)
    if (!value.trim() && !tag()) return (setFound(null), setMore(null))
    timer = setTimeout(() => void search(value.trim()), 250)
  }
  async function search(text: string, cursor?: string) {
    const mine = ++seq
    try {
      const page = await households.list(villageId()!, { q: text, tag: tag() || undefined, limit: 20, cursor })
      if (mine !== seq) return
      setFound(cursor ? [...(found() ?? []), ...page.items] : page.items)
      setMore(page.nextCursor)
      setError('')
    } catch (e) {
      if (mine === seq) setError((e as Error).message)
    }
  }
  onCleanup(() => clearTimeout(timer))

  return (
    <div class="search">
      <label>
        {t('kiosk.search')}
        <input
          type="search"
          inputmode="search"
          autocomplete="off"
          placeholder={t('kiosk.searchPlaceholder')}
          value={q()}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      </label>
      <TagFilter
        value={tag()}
        onChange={(v) => {
          setTag(v)
          if (q().trim() || v) void search(q().trim())
          else setFound(null), setMore(null)
        }}
      />
      <Show when={error()}>
        <div class="message error">{error()}</div>
      </Show>
      <Show when={found()?.length === 0}>
        <p class="muted">{t('kiosk.searchNone')}</p>
      </Show>
      <div class="search-results">
        <For each={found() ?? []}>
          {(h) => (
            <button type="button" class="search-hit" onClick={() => props.onPick(h)}>
              <span class="no">{h.householdNo}</span>
              <span class="name">
                {h.headName}
                <Show when={h.matchedMember}>
                  {(m) => (
                    <span class="matched" data-testid="matched-member">
                      {t('kiosk.matchedMember', { name: m() })}
                    </span>
                  )}
                </Show>
              </span>
              <span class="pts">{t('app.points', { n: fmt(h.balance) })}</span>
            </button>
          )}
        </For>
        <Show when={more()}>
          {(cursor) => (
            <button type="button" class="search-more" onClick={() => void search(q().trim(), cursor())}>
              {t('app.more')}
            </button>
          )}
        </Show>
      </div>
    </div>
  )
}
