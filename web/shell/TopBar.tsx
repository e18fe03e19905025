import { A, useNavigate } from '@solidjs/router'
import { createResource, For, type JSX, Show } from 'solid-js'
import { auth } from '../api/auth'
import { villages as villagesApi } from '../api/villages'
import { t, toggleLocale } from '../i18n'
import { chooseVillage, currentUser, endSession, hasRole, villageId } from '../session'

/** The bar over every page: title, village (an admin chooses one), who is logged in, language, log out. */
export function TopBar(props: { title?: string; children?: JSX.Element }) {
  const navigate = useNavigate()
  const [villages] = createResource(
    () => currentUser()?.id,
    () => villagesApi.list(),
  )
  const villageName = () => villages()?.items.find((v) => v.id === villageId())?.name ?? ''
  const roles = () =>
    currentUser()
      ?.roles.map((r) => t(`role.${r}`))
      .join('、') ?? ''
  /** Ends the session on the server too (the token is refused from then on), then here, whatever the answer. */
  function logout() {
    void auth
      .logout()
      .catch(() => {})
      .finally(() => {
        endSession()
        navigate('/login', { replace: true })
      })
  }
  return (
    <header class="topbar">
      <span class="title">{props.title ?? t('app.title')}</span>
      <Show
        when={hasRole('admin') && !currentUser()?.villageId}
        fallback={<span class="village">{villageName()}</span>}
      >
        <select
          aria-label={t('village.choose')}
          value={villageId() ?? ''}
          onChange={(e) => chooseVillage(e.currentTarget.value)}
        >
          <option value="" disabled>
            {t('village.choose')}
          </option>
          <For each={villages()?.items ?? []}>{(v) => <option value={v.id}>{v.name}</option>}</For>
        </select>
      </Show>
      {props.children}
      <span class="spacer" />
      <span class="who">
        {currentUser()?.username}（{roles()}）
      </span>
      <A href="/account/password">{t('password.link')}</A>
      <button type="button" onClick={toggleLocale}>
        {t('app.lang')}
      </button>
      <button type="button" onClick={logout}>
        {t('logout')}
      </button>
    </header>
  )
}
