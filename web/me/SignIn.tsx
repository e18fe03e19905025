import { createSignal, onCleanup, onMount, Show } from 'solid-js'
import { cardCodeFromScan } from '../../shared/card-link'
import { ApiError, messageOf } from '../api/client'
import { villager } from '../api/villager'
import { t, tMaybe } from '../i18n'
import { CameraError, dedupe, startCamera } from '../kiosk/camera'
import { ended } from './session'

/**
 * Sign-in: the card's QR through the page's camera, or the phone's own scanner app opening /me#c=<code>; then
 * the household's PIN when it has one.
 */
export function SignIn() {
  let video!: HTMLVideoElement
  let stop: (() => void) | null = null
  const [camera, setCamera] = createSignal<'off' | 'starting' | 'on' | CameraError['problem']>('off')
  const [code, setCode] = createSignal<string | null>(null)
  const [needPin, setNeedPin] = createSignal(false)
  const [pin, setPin] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [problem, setProblem] = createSignal('')

  async function attempt(cardCode: string, withPin?: string) {
    setBusy(true)
    setProblem('')
    try {
      await villager.signIn(cardCode, withPin)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'WRONG_PIN') {
        setNeedPin(true)
        const left = (e.details as { attemptsLeft?: number } | undefined)?.attemptsLeft
        if (withPin !== undefined) setProblem(left === undefined ? messageOf(e) : `${messageOf(e)} (${left})`)
      } else setProblem(messageOf(e))
    } finally {
      setBusy(false)
    }
  }

  const onScan = dedupe((text: string) => {
    stopCamera()
    const c = cardCodeFromScan(text)
    setCode(c)
    void attempt(c)
  })

  async function startCam() {
    setCamera('starting')
    setProblem('')
    try {
      stop = await startCamera(video, onScan)
      setCamera('on')
    } catch (e) {
      setCamera(e instanceof CameraError ? e.problem : 'none')
    }
  }
  function stopCamera() {
    stop?.()
    stop = null
    setCamera('off')
  }
  onCleanup(() => stop?.())

  onMount(() => {
    // The phone's own scanner app opened the card's link: /me#c=<code>. The code leaves the address bar at once.
    const fromLink = /[#&]c=([A-Za-z0-9_.-]+)/.exec(location.hash)?.[1]
    if (fromLink) {
      history.replaceState(null, '', location.pathname)
      setCode(fromLink)
      void attempt(fromLink)
    }
  })

  const cameraProblem = () => {
    const s = camera()
    if (s === 'insecure') return t('me.signIn.cameraInsecure')
    if (s === 'none' || s === 'decoder') return t('me.signIn.cameraNone')
    if (s === 'denied') return t('me.signIn.cameraDenied')
    return ''
  }

  return (
    <main class="me-signin">
      <h1>{t('me.signIn.title')}</h1>
      <Show when={ended()}>
        {(r) => <p class="me-note">{tMaybe(`me.signIn.ended.${r()}`) ?? t('me.signIn.ended.invalid')}</p>}
      </Show>
      <Show when={!needPin()}>
        <p>{t('me.signIn.hint')}</p>
        <video ref={video} class="me-video" classList={{ hidden: camera() !== 'on' }} aria-label={t('kiosk.camera')} />
        <Show when={camera() !== 'on'}>
          <button type="button" class="me-big" onClick={startCam} disabled={camera() === 'starting' || busy()}>
            {camera() === 'starting' ? t('kiosk.cameraStarting') : t('me.signIn.camera')}
          </button>
        </Show>
        <Show when={cameraProblem()}>
          <p class="me-note">{cameraProblem()}</p>
        </Show>
      </Show>
      <Show when={needPin() && code()}>
        <form
          class="me-form"
          onSubmit={(e) => {
            e.preventDefault()
            void attempt(code()!, pin())
          }}
        >
          <label>
            {t('me.signIn.pin')}
            <input
              type="password"
              inputmode="numeric"
              autocomplete="off"
              maxlength={6}
              value={pin()}
              onInput={(e) => setPin(e.currentTarget.value)}
            />
          </label>
          <button type="submit" class="me-big" disabled={busy() || pin().length < 4}>
            {t('me.signIn.pinSubmit')}
          </button>
        </form>
      </Show>
      <Show when={busy()}>
        <p>{t('me.signIn.busy')}</p>
      </Show>
      <Show when={problem()}>
        <p class="me-error" role="alert">
          {problem()}
        </p>
      </Show>
    </main>
  )
}
