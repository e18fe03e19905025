import { createResource, createSignal, Match, Show, Switch } from 'solid-js'
import type { MeAccount } from '../../shared/types/villager'
import { t, toggleLocale } from '../i18n'
import { Account } from './Account'
import { Claims } from './Claims'
import { villager } from '../api/villager'
import { session } from './session'
import { Notices } from './Notices'
import { Shop } from './Shop'
import { SignIn } from './SignIn'

type Tab = 'home' | 'notices' | 'claims' | 'shop'
const TABS: Tab[] = ['home', 'notices', 'claims', 'shop']

/** The villager's page on a phone: sign in with the card, then the household's points, notices, 申报 and shop. */
export function MePage() {
  return (
    <Show
      when={session()}
      keyed
      fallback={
        <Shell>
          <SignIn />
        </Shell>
      }
    >
      {(s) => <Home key={s.token} />}
    </Show>
  )
}

function Shell(props: { children: unknown; title?: string; onSignOut?: () => void }) {
  return (
    <div class="me">
      <header class="me-top">
        <span class="me-top-title">{props.title ?? t('me.title')}</span>
        <button type="button" class="me-link" onClick={toggleLocale}>
          {t('app.lang')}
        </button>
        <Show when={props.onSignOut}>
          <button type="button" class="me-link" onClick={props.onSignOut}>
            {t('me.signOut')}
          </button>
        </Show>
      </header>
      {props.children as never}
    </div>
  )
}

function Home(_props: { key: string }) {
  const [tab, setTab] = createSignal<Tab>('home')
  const [account] = createResource(() => villager.account())
  const h = () => session()?.household
  return (
    <Shell title={h() ? `${h()!.householdNo} ${h()!.headName}` : undefined} onSignOut={() => void villager.signOut()}>
      <main class="me-main">
        <Switch>
          <Match when={tab() === 'home'}>
            <Account account={account()} />
          </Match>
          <Match when={tab() === 'notices'}>
            <Notices />
          </Match>
          <Match when={tab() === 'claims'}>
            <Claims account={account()} />
          </Match>
          <Match when={tab() === 'shop'}>
            <Shop />
          </Match>
        </Switch>
      </main>
      <nav class="me-tabs">
        {TABS.map((x) => (
          <button
            type="button"
            classList={{ active: tab() === x }}
            aria-pressed={tab() === x}
            onClick={() => setTab(x)}
          >
            {t(`me.tab.${x}`)}
          </button>
        ))}
      </nav>
    </Shell>
  )
}
