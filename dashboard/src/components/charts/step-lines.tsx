'use client'
// Recharts 3 directly: several series over the same instants (an experiment's traffic weight per
// variant after each change). Steps, not slopes: a weight holds until the next change.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

export interface StepSeries {
  /** Key of the series in each row, and its legend. */
  key: string
  name: string
}

const COLORS = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c']

export function StepLines(p: {
  /** One row per instant: `x` is its label, then one value per series key. */
  rows: ({ x: string } & Record<string, string | number | null>)[]
  series: StepSeries[]
  label: string
  format: (v: number | null) => string
  domain?: [number, number]
}) {
  return (
    <div className="h-64 w-full" role="img" aria-label={`${p.label} over ${p.rows.length} changes`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={p.rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="x" tick={{ fontSize: 12 }} />
          <YAxis
            domain={p.domain ?? ['auto', 'auto']}
            tickFormatter={(v: number) => p.format(v)}
            width={56}
            tick={{ fontSize: 12 }}
          />
          <Tooltip formatter={(v) => p.format(typeof v === 'number' ? v : null)} />
          <Legend />
          {p.series.map((s, i) => (
            <Line
              key={s.key}
              type="stepAfter"
              dataKey={s.key}
              name={s.name}
              stroke={COLORS[i % COLORS.length]}
              strokeWidth={2}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  )
}
