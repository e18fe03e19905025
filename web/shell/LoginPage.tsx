import { useNavigate } from '@solidjs/router'
import { createSignal } from 'solid-js'
import { api } from '../api'
import { t, toggleLocale } from '../i18n'
import { homePath, startSession, type User } from '../session'
import { ErrorMessage } from '../ui/Message'

export default function LoginPage() {
  const navigate = useNavigate()
  const [username, setUsername] = createSignal('')
  const [password, setPassword] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>(null)

  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const res = await api.post<{ token: string; user: User }>('/api/auth/login', { username: username().trim(), password: password() })
      startSession(res.token, res.user)
      navigate(homePath(res.user), { replace: true })
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main class="login">
      <div class="row">
        <span class="spacer" />
        <button type="button" onClick={toggleLocale}>{t('app.lang')}</button>
      </div>
      <h1>{t('app.title')}</h1>
      <form onSubmit={submit}>
        <label>
          {t('login.username')}
          <input name="username" autocomplete="username" required value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autocomplete="current-password" required value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <ErrorMessage error={error()} />
        <button type="submit" class="primary big" disabled={busy()}>{busy() ? t('login.busy') : t('login.submit')}</button>
      </form>
    </main>
  )
}
