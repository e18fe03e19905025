import { For } from 'solid-js'
import { fmt } from '../../i18n'

export interface Series {
  label: string
  color: string
  values: number[]
}

/**
 * Grouped bars drawn as SVG by hand: a dozen bars need no chart library, and the numbers are printed on the
 * bars so nobody has to read an axis.
 */
export function BarChart(props: { groups: string[]; series: Series[]; height?: number; title: string }) {
  const H = () => props.height ?? 240
  const W = 640
  const top = 24
  const bottom = 28
  const max = () => Math.max(1, ...props.series.flatMap((s) => s.values))
  const groupW = () => W / Math.max(1, props.groups.length)
  const barW = () => Math.min(48, (groupW() - 16) / Math.max(1, props.series.length))
  const y = (v: number) => top + (H() - top - bottom) * (1 - v / max())
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H()}`}
      width="100%"
      role="img"
      aria-label={props.title}
      style={{ 'max-width': `${W}px` }}
    >
      <line x1="0" x2={W} y1={H() - bottom} y2={H() - bottom} stroke="#000" stroke-width="2" />
      <For each={props.groups}>
        {(g, gi) => {
          const x0 = () => gi() * groupW() + (groupW() - barW() * props.series.length) / 2
          return (
            <g>
              <For each={props.series}>
                {(s, si) => {
                  const v = () => s.values[gi()] ?? 0
                  const x = () => x0() + si() * barW()
                  return (
                    <g>
                      <rect
                        x={x() + 2}
                        width={barW() - 4}
                        y={y(v())}
                        height={H() - bottom - y(v())}
                        fill={s.color}
                        stroke="#000"
                        stroke-width="1"
                      >
                        <title>{`${g} ${s.label}: ${v()}`}</title>
                      </rect>
                      <text x={x() + barW() / 2} y={y(v()) - 4} text-anchor="middle">
                        {v() ? fmt(v()) : ''}
                      </text>
                    </g>
                  )
                }}
              </For>
              <text x={gi() * groupW() + groupW() / 2} y={H() - 8} text-anchor="middle" font-weight="700">
                {g}
              </text>
            </g>
          )
        }}
      </For>
    </svg>
  )
}

/** Horizontal bars, one a line: categories with long Chinese names read better across. */
export function HBars(props: { rows: { label: string; value: number; color: string }[]; title: string }) {
  const max = () => Math.max(1, ...props.rows.map((r) => Math.abs(r.value)))
  const rowH = 34
  const labelW = 170
  const W = 640
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${Math.max(1, props.rows.length) * rowH}`}
      width="100%"
      role="img"
      aria-label={props.title}
      style={{ 'max-width': `${W}px` }}
    >
      <For each={props.rows}>
        {(r, i) => {
          const w = () => ((W - labelW - 70) * Math.abs(r.value)) / max()
          return (
            <g>
              <text x={labelW - 8} y={i() * rowH + 22} text-anchor="end" font-weight="700">
                {r.label}
              </text>
              <rect x={labelW} y={i() * rowH + 6} width={w()} height={rowH - 12} fill={r.color} stroke="#000" />
              <text x={labelW + w() + 6} y={i() * rowH + 22}>
                {(r.value > 0 ? '+' : '') + fmt(r.value)}
              </text>
            </g>
          )
        }}
      </For>
    </svg>
  )
}
