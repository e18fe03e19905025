import { useLocation, useNavigate } from '@solidjs/router'
import { createSignal, Show } from 'solid-js'
import { loginInput } from '../../shared/schemas/auth'
import { auth } from '../api/auth'
import { t, toggleLocale } from '../i18n'
import { homePath, startSession, type User } from '../session'
import { FieldError, FormProblems } from '../ui/FieldError'
import { createFieldErrors } from '../ui/form'
import { ErrorMessage, Message } from '../ui/Message'

export default function LoginPage() {
  const navigate = useNavigate()
  // Sent here on purpose (after a password change): say why the login is asked for again.
  const location = useLocation<{ notice?: string }>()
  const notice = () => (location.state?.notice === 'password.changed' ? t('password.changed') : '')
  const [username, setUsername] = createSignal('')
  const [password, setPassword] = createSignal('')
  const fields = createFieldErrors(['username', 'password'])

  async function submit(e: Event) {
    e.preventDefault()
    const body = fields.check(loginInput, { username: username(), password: password() })
    if (!body) return
    await fields.send(async () => {
      const res = await auth.login(body)
      startSession(res.token, res.user)
      navigate(res.mustChangePassword ? '/account/password?first=1' : homePath(res.user), { replace: true })
    })
  }

  return (
    <main class="login">
      <div class="row">
        <span class="spacer" />
        <button type="button" onClick={toggleLocale}>
          {t('app.lang')}
        </button>
      </div>
      <h1>{t('app.title')}</h1>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <form noValidate onSubmit={submit}>
        <label>
          {t('login.username')}
          <input
            name="username"
            autocomplete="username"
            required
            aria-invalid={!!fields.of('username')}
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
          <FieldError form={fields} name="username" />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            aria-invalid={!!fields.of('password')}
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <FieldError form={fields} name="password" />
        </label>
        <FormProblems form={fields} />
        <ErrorMessage error={fields.error()} fieldsShown />
        <button type="submit" class="primary big" disabled={fields.busy()}>
          {fields.busy() ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  )
}
