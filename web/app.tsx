import { Navigate, Route, Router } from '@solidjs/router'
import { type Component, lazy } from 'solid-js'
import Layout from './shell/Layout'
import { homePath, currentUser } from './session'

// Every page is its own chunk: the counter tablet loads the kiosk and nothing of the committee's pages. The
// login page too: it checks its form with the shared zod schema, and zod stays out of the kiosk's chunks.
const LoginPage = lazy(() => import('./shell/LoginPage'))
const KioskPage = lazy(() => import('./kiosk/KioskPage'))
const pages = {
  dashboard: lazy(() => import('./committee/dashboard/DashboardPage')),
  households: lazy(() => import('./committee/households/HouseholdsPage')),
  household: lazy(() => import('./committee/households/HouseholdPage')),
  importRoster: lazy(() => import('./committee/households/ImportPage')),
  rules: lazy(() => import('./committee/rules/RulesPage')),
  propose: lazy(() => import('./committee/awards/ProposePage')),
  queue: lazy(() => import('./committee/awards/QueuePage')),
  notices: lazy(() => import('./committee/awards/NoticesPage')),
  awards: lazy(() => import('./committee/awards/AwardsPage')),
  claims: lazy(() => import('./committee/claims/ClaimsPage')),
  products: lazy(() => import('./committee/supermarket/ProductsPage')),
  donations: lazy(() => import('./committee/supermarket/DonationsPage')),
  stocktake: lazy(() => import('./committee/supermarket/StocktakePage')),
  alerts: lazy(() => import('./committee/supermarket/AlertsPage')),
  conflicts: lazy(() => import('./committee/supermarket/ConflictsPage')),
  exports: lazy(() => import('./committee/exports/ExportsPage')),
  admin: lazy(() => import('./committee/admin/AdminPage')),
  password: lazy(() => import('./shell/PasswordPage')),
  setup: lazy(() => import('./committee/setup/SetupPage')),
} satisfies Record<string, Component>

const Home = () => <Navigate href={homePath(currentUser())} />

export function App() {
  return (
    <Router>
      <Route path="/login" component={LoginPage} />
      <Route path="/kiosk" component={KioskPage} />
      <Route path="/" component={Layout}>
        <Route path="/" component={Home} />
        <Route path="/dashboard" component={pages.dashboard} />
        <Route path="/households" component={pages.households} />
        <Route path="/households/import" component={pages.importRoster} />
        <Route path="/households/:id" component={pages.household} />
        <Route path="/rules" component={pages.rules} />
        <Route path="/awards" component={pages.awards} />
        <Route path="/awards/propose" component={pages.propose} />
        <Route path="/awards/queue" component={pages.queue} />
        <Route path="/awards/notices" component={pages.notices} />
        <Route path="/claims" component={pages.claims} />
        <Route path="/supermarket/products" component={pages.products} />
        <Route path="/supermarket/donations" component={pages.donations} />
        <Route path="/supermarket/stocktake" component={pages.stocktake} />
        <Route path="/supermarket/alerts" component={pages.alerts} />
        <Route path="/supermarket/conflicts" component={pages.conflicts} />
        <Route path="/exports" component={pages.exports} />
        <Route path="/admin" component={pages.admin} />
        <Route path="/account/password" component={pages.password} />
        <Route path="/setup" component={pages.setup} />
        <Route path="*" component={Home} />
      </Route>
    </Router>
  )
}
