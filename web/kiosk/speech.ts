import { createSignal } from 'solid-js'
import { locale } from '../i18n'

const KEY = 'gongyi.kiosk.speak'
const available = () => typeof window !== 'undefined' && 'speechSynthesis' in window

function initial(): boolean {
  try {
    return available() && localStorage.getItem(KEY) !== 'off'
  } catch {
    return false
  }
}

const [speaking, setSpeaking] = createSignal(initial())
export { available as speechAvailable, speaking }

export function setSpeech(on: boolean) {
  setSpeaking(on)
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off')
  } catch {}
}

/**
 * Says a short sentence aloud (the balance), for villagers who cannot read the screen well. `always`: a press
 * of a "read it to me" button speaks whatever the counter's switch says.
 */
export function speak(text: string, always = false) {
  if ((!always && !speaking()) || !available()) return
  try {
    speechSynthesis.cancel()
    const u = new SpeechSynthesisUtterance(text)
    u.lang = locale() === 'en' ? 'en-US' : 'zh-CN'
    const voice = speechSynthesis.getVoices().find((v) => v.lang.replace('_', '-').startsWith(u.lang.slice(0, 2)))
    if (voice) u.voice = voice
    u.rate = 0.9
    speechSynthesis.speak(u)
  } catch {}
}
