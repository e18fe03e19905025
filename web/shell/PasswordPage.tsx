import { useNavigate } from '@solidjs/router'
import { createSignal, Show } from 'solid-js'
import { z } from 'zod'
import { changePasswordInput } from '../../shared/schemas/auth'
import { auth } from '../api/auth'
import { ApiError } from '../api/client'
import { t } from '../i18n'
import { currentUser, endSession } from '../session'
import { FieldError, FormProblems } from '../ui/FieldError'
import { createFieldErrors } from '../ui/form'
import { ErrorMessage } from '../ui/Message'

const FIELDS = ['currentPassword', 'newPassword', 'repeatPassword'] as const

// The server's own schema, plus the one check only a form has: the new password typed twice the same.
const passwordForm = changePasswordInput
  .extend({ repeatPassword: z.string() })
  .refine((d) => d.newPassword === d.repeatPassword, { path: ['repeatPassword'] })

/**
 * Change one's own password. The server then ends every session of this user (this tab's token too), so on
 * success the user goes to the login page with a message saying why. A wrong current password comes back as
 * 401 INVALID_CREDENTIALS: that is a mistake in a field, not a lost login, and shows beside that field.
 */
export default function PasswordPage() {
  const navigate = useNavigate()
  const [current, setCurrent] = createSignal('')
  const [next, setNext] = createSignal('')
  const [repeat, setRepeat] = createSignal('')
  const [wrongCurrent, setWrongCurrent] = createSignal(false)
  const [error, setError] = createSignal<unknown>(null)
  const [busy, setBusy] = createSignal(false)
  const form = createFieldErrors(FIELDS)

  async function submit(e: Event) {
    e.preventDefault()
    setError(null)
    setWrongCurrent(false)
    const checked = form.check(passwordForm, {
      currentPassword: current(),
      newPassword: next(),
      repeatPassword: repeat(),
    })
    if (!checked) return
    setBusy(true)
    try {
      await auth.changePassword({ currentPassword: checked.currentPassword, newPassword: checked.newPassword })
      endSession()
      navigate('/login', { replace: true, state: { notice: 'password.changed' } })
    } catch (err) {
      if (err instanceof ApiError && err.code === 'INVALID_CREDENTIALS') setWrongCurrent(true)
      else {
        form.fromServer(err)
        setError(err)
      }
    } finally {
      setBusy(false)
    }
  }

  const field = (name: (typeof FIELDS)[number]) => ({
    name,
    type: 'password',
    'aria-invalid': !!form.of(name) || (name === 'currentPassword' && wrongCurrent()),
  })
  return (
    <section>
      <h1>{t('password.title')}</h1>
      <Show when={new URLSearchParams(location.search).has('first')}>
        <p class="message warn" role="alert" data-testid="must-change">
          {t('password.mustChange')}
        </p>
      </Show>
      <p class="muted">{t('password.hint', { username: currentUser()?.username ?? '' })}</p>
      <form class="form" noValidate onSubmit={submit}>
        <label>
          {t('password.current')}
          <input
            {...field('currentPassword')}
            autocomplete="current-password"
            value={current()}
            onInput={(e) => (setCurrent(e.currentTarget.value), setWrongCurrent(false))}
          />
          <FieldError form={form} name="currentPassword" />
          <Show when={wrongCurrent()}>
            <span class="field-error" role="alert" data-field="currentPassword">
              {t('password.wrongCurrent')}
            </span>
          </Show>
        </label>
        <label>
          {t('password.new')}
          <input
            {...field('newPassword')}
            autocomplete="new-password"
            value={next()}
            onInput={(e) => setNext(e.currentTarget.value)}
          />
          <FieldError form={form} name="newPassword" />
        </label>
        <label>
          {t('password.repeat')}
          <input
            {...field('repeatPassword')}
            autocomplete="new-password"
            value={repeat()}
            onInput={(e) => setRepeat(e.currentTarget.value)}
          />
          <FieldError form={form} name="repeatPassword" />
        </label>
        <FormProblems form={form} />
        <div class="row">
          <button type="submit" class="primary" disabled={busy()}>
            {t('password.submit')}
          </button>
        </div>
        <div style={{ 'grid-column': '1 / -1' }}>
          <ErrorMessage error={error()} fieldsShown />
        </div>
      </form>
    </section>
  )
}
