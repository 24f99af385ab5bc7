'use client'
// Recharts 3 directly: one measure per group (an intent, an agent, a day…). A click on a bar calls
// `onPick` with its index: the screens link it to its conversations. The bar's own handler, not the
// chart's: the chart's reads the tooltip state, which Recharts updates a frame after the pointer moves.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { PickHandler } from './pick'

export interface GroupPoint {
  /** What the axis shows: an intent, an agent's name, a day. */
  label: string
  /** The API's number, exactly; null draws no bar. */
  value: number | null
}

export function GroupBars(p: {
  points: GroupPoint[]
  /** What is measured, for the accessible name and the tooltip. */
  label: string
  format: (v: number | null) => string
  onPick?: PickHandler
  testId?: string
}) {
  const said = p.points
    .slice(0, 12)
    .map((x) => `${x.label} ${p.format(x.value)}`)
    .join('; ')
  return (
    <div
      className={`h-64 w-full ${p.onPick ? 'cursor-pointer' : ''}`}
      role="img"
      aria-label={`${p.label}: ${said}${p.points.length > 12 ? '…' : ''}`}
      data-testid={p.testId}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={p.points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
          {/* all zero: 0 to 1, not the 0–4 Recharts picks (a rate axis up to 400 %) */}
          <YAxis
            domain={[0, (max: number) => (max > 0 ? max : 1)]}
            tickFormatter={(v: number) => p.format(v)}
            width={64}
            tick={{ fontSize: 12 }}
          />
          <Tooltip formatter={(v) => [p.format(typeof v === 'number' ? v : null), p.label]} />
          <Bar
            dataKey="value"
            name={p.label}
            fill="#1d4ed8"
            isAnimationActive={false}
            onClick={(_data, index) => p.onPick?.(index)}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}
