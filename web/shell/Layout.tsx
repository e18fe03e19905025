import { A, type RouteSectionProps } from '@solidjs/router'
import { For, Show } from 'solid-js'
import { t } from '../i18n'
import { hasRole, villageId } from '../session'
import { Message } from '../ui/Message'
import { NAV } from './nav'
import { RequireLogin } from './guards'
import { TopBar } from './TopBar'

/** The committee's pages: top bar, the navigation the user's roles allow, the page. */
export default function Layout(props: RouteSectionProps) {
  return (
    <RequireLogin>
      <TopBar />
      <div class="layout">
        <nav class="nav">
          <For each={NAV}>
            {(group) => {
              const items = () => group.items.filter((i) => hasRole(...i.roles))
              return (
                <Show when={items().length}>
                  <div class="group">{t(group.group)}</div>
                  <For each={items()}>
                    {(item) => (
                      <A href={item.path} end={item.path === '/awards'}>
                        {t(item.label)}
                      </A>
                    )}
                  </For>
                </Show>
              )
            }}
          </For>
        </nav>
        <main class="page">
          <Show
            when={
              villageId() || props.location.pathname === '/admin' || props.location.pathname === '/account/password'
            }
            fallback={<Message kind="warn">{t('village.none')}</Message>}
          >
            {props.children}
          </Show>
        </main>
      </div>
    </RequireLogin>
  )
}
