import { A } from '@solidjs/router'
import { createResource, For, Show } from 'solid-js'
import type { Rule } from '../../../shared/types/rules'
import { awards } from '../../api/awards'
import { counter } from '../../api/counter'
import { exportsApi } from '../../api/exports'
import { ledger } from '../../api/ledger'
import { stock } from '../../api/supermarket'
import { fmt, fmtDateTime, t } from '../../i18n'
import { hasRole, villageId } from '../../session'
import type { MonthlyExport } from '../../../shared/types/exports'
import { ErrorMessage } from '../../ui/Message'
import { fetchRules } from '../rules/RulesPage'
import { BarChart, HBars } from './BarChart'
import { CountersPanel, unsyncedOf } from './CountersPanel'
import { TagCountsPanel } from '../tags/TagCountsPanel'

const COLORS = { issued: '#0a6b2d', deducted: '#a00000', redeemed: '#0b3d91' }

/** The last `n` months as YYYY-MM, oldest first. */
function lastMonths(n: number): string[] {
  const d = new Date()
  const out: string[] = []
  for (let i = n - 1; i >= 0; i--) {
    const m = new Date(d.getFullYear(), d.getMonth() - i, 1)
    out.push(`${m.getFullYear()}-${String(m.getMonth() + 1).padStart(2, '0')}`)
  }
  return out
}

/** Points by category this month: awards up, deductions down, from the month's entries and the rule catalogue. */
function byCategory(month: MonthlyExport, rules: Rule[]) {
  const category = new Map(rules.map((r) => [r.id, r.category]))
  const sums = new Map<string, number>()
  for (const e of month.entries) {
    if ((e.kind !== 'award' && e.kind !== 'deduction') || !e.ruleId) continue
    const c = category.get(e.ruleId) ?? '—'
    sums.set(c, (sums.get(c) ?? 0) + e.amount)
  }
  return [...sums]
    .sort((a, b) => b[1] - a[1])
    .map(([label, value]) => ({ label, value, color: value >= 0 ? COLORS.issued : COLORS.deducted }))
}

export default function DashboardPage() {
  const months = lastMonths(6)
  const readsLedger = () => hasRole('clerk', 'approver', 'auditor')
  const [statements] = createResource(
    () => (readsLedger() ? villageId() : null),
    (v) => Promise.all(months.map((m) => exportsApi.monthly(v, m))),
  )
  const [rules] = createResource(() => (readsLedger() ? villageId() : null), fetchRules)
  const [summary] = createResource(villageId, (v) => stock.summary(v))
  // Redemptions by product category this month (issue 17): what the points were spent on.
  const [spent] = createResource(villageId, (v) => stock.byCategory(v, months[months.length - 1]!))
  const [pending] = createResource(villageId, (v) =>
    awards.list(v, { status: 'pending', limit: 500 }).then((p) => p.items.length),
  )
  const [verify] = createResource(
    () => (readsLedger() ? villageId() : null),
    (v) => ledger.verify(v),
  )
  // The counters' queues of offline sales (every role here may read them); open conflicts for who may read those.
  const [counters] = createResource(villageId, (v) => counter.counters(v).then((p) => p.items))
  const [conflicts] = createResource(
    () => (hasRole('approver', 'auditor', 'cashier') ? villageId() : null),
    (v) => counter.conflicts(v, { status: 'open' }).then((p) => p.items.length),
  )
  const [balances] = createResource(
    () => (readsLedger() ? villageId() : null),
    (v) => ledger.balanceCheck(v),
  )

  const current = () => statements()?.[statements()!.length - 1]
  const participation = () => {
    const c = current()
    return c ? { n: c.households.filter((h) => h.earned > 0).length, total: c.households.length } : null
  }

  return (
    <section>
      <h1>{t('dashboard.title')}</h1>
      <Show when={balances() && !balances()!.ok}>
        <div class="banner-bad" role="alert">
          <strong>{t('dashboard.mismatch')}</strong>
          <ul>
            <For each={balances()!.mismatches}>
              {(m) => (
                <li>
                  {t('dashboard.mismatchLine', {
                    no: m.householdNo,
                    name: m.headName,
                    balance: fmt(m.balance),
                    ledger: fmt(m.ledger),
                  })}
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
      <div class="stats">
        <Show when={summary()}>
          {(s) => (
            <>
              <div class="stat">
                <div class="label">{t('dashboard.outstanding')}</div>
                <div class="value">{fmt(s().outstanding)}</div>
              </div>
              <div class="stat">
                <div class="label">{t('dashboard.stockValue')}</div>
                <div class="value" classList={{ minus: s().stockValue < s().outstanding }}>
                  {fmt(s().stockValue)}
                </div>
                <Show when={s().coverage !== null}>
                  <div>{t('dashboard.coverage', { p: Math.round((s().coverage ?? 0) * 100) })}</div>
                </Show>
              </div>
            </>
          )}
        </Show>
        <Show when={participation()}>
          {(p) => (
            <div class="stat">
              <div class="label">{t('dashboard.participation')}</div>
              <div class="value">{t('dashboard.participationValue', { n: fmt(p().n), total: fmt(p().total) })}</div>
            </div>
          )}
        </Show>
        <Show when={pending() !== undefined}>
          <div class="stat">
            <div class="label">{t('dashboard.pending')}</div>
            <div class="value">{fmt(pending() ?? 0)}</div>
          </div>
        </Show>
        <Show when={counters() && unsyncedOf(counters()!)}>
          {(u) => (
            <div class="stat" data-testid="unsynced">
              <div class="label">{t('dashboard.unsynced')}</div>
              <div class="value" classList={{ minus: u().n > 0 }}>
                {t('dashboard.unsyncedValue', { n: fmt(u().n) })}
              </div>
              <Show when={u().since}>
                {(since) => <div>{t('dashboard.unsyncedSince', { time: fmtDateTime(since()) })}</div>}
              </Show>
            </div>
          )}
        </Show>
        <Show when={conflicts() !== undefined}>
          <div class="stat" data-testid="open-conflicts">
            <div class="label">{t('dashboard.conflicts')}</div>
            <div class="value" classList={{ minus: (conflicts() ?? 0) > 0 }}>
              <A href="/supermarket/conflicts">{fmt(conflicts() ?? 0)}</A>
            </div>
          </div>
        </Show>
        <Show when={verify()}>
          {(v) => (
            <div class="stat">
              <div class="label">{t('dashboard.verify')}</div>
              <div class={v().ok ? 'plus' : 'minus'} style={{ 'font-size': '1.2rem' }}>
                {v().ok ? t('dashboard.verifyOk', { n: fmt(v().entries) }) : t('dashboard.verifyBad')}
              </div>
            </div>
          )}
        </Show>
      </div>
      <ErrorMessage error={summary.error ?? statements.error ?? verify.error ?? counters.error} />
      <Show when={counters()?.length}>
        <CountersPanel counters={counters()!} />
      </Show>

      <Show when={statements()}>
        {(list) => (
          <>
            <h2>{t('dashboard.perMonth')}</h2>
            <div class="legend">
              <span>
                <i style={{ background: COLORS.issued }} />
                {t('dashboard.issued')}
              </span>
              <span>
                <i style={{ background: COLORS.deducted }} />
                {t('dashboard.deducted')}
              </span>
              <span>
                <i style={{ background: COLORS.redeemed }} />
                {t('dashboard.redeemed')}
              </span>
            </div>
            <BarChart
              title={t('dashboard.perMonth')}
              groups={months.map((m) => m.slice(2).replace('-', '/'))}
              series={[
                { label: t('dashboard.issued'), color: COLORS.issued, values: list().map((s) => s.totals.earned) },
                {
                  label: t('dashboard.deducted'),
                  color: COLORS.deducted,
                  values: list().map((s) => s.totals.deducted),
                },
                {
                  label: t('dashboard.redeemed'),
                  color: COLORS.redeemed,
                  values: list().map((s) => s.totals.redeemed),
                },
              ]}
            />
            <Show when={rules() && current()}>
              <h2>{t('dashboard.byCategory')}</h2>
              <Show when={byCategory(current()!, rules()!).length} fallback={<p class="muted">{t('app.none')}</p>}>
                <HBars title={t('dashboard.byCategory')} rows={byCategory(current()!, rules()!)} />
              </Show>
            </Show>
          </>
        )}
      </Show>

      <Show when={spent()}>
        {(s) => (
          <section data-testid="redeemed-by-category">
            <h2>{t('dashboard.redeemedByCategory')}</h2>
            <Show when={s().items.length} fallback={<p class="muted">{t('app.none')}</p>}>
              <HBars
                title={t('dashboard.redeemedByCategory')}
                rows={s().items.map((i) => ({ label: i.category, value: i.points, color: COLORS.redeemed }))}
              />
            </Show>
          </section>
        )}
      </Show>
      <TagCountsPanel />

      <Show when={summary()?.lowStock.length}>
        <h2>{t('dashboard.lowStock')}</h2>
        <ul>
          <For each={summary()!.lowStock}>
            {(l) => (
              <li class="minus">
                {t('alerts.low', { name: l.name, stock: fmt(l.stock), threshold: fmt(l.threshold) })}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  )
}
