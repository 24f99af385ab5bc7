'use client'
// Recharts 3 directly: two rates side by side, before and after one event (a gap's acceptance).
// The values are the API's rates as given; a null (no questions in a window) draws no bar.
import { Bar, BarChart, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { fmtRatio } from '@/lib/format'

export interface BeforeAfterPoint {
  /** What is compared, e.g. "answered rate". */
  measure: string
  before: number | null
  after: number | null
}

const pct = (v: unknown) => (typeof v === 'number' ? fmtRatio(v) : '—')

export function BeforeAfterBars({ points, label }: { points: BeforeAfterPoint[]; label: string }) {
  const said = points.map((p) => `${p.measure} ${pct(p.before)} before, ${pct(p.after)} after`).join('; ')
  return (
    <div className="h-48 w-full" role="img" aria-label={`${label}: ${said}`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <XAxis dataKey="measure" tick={{ fontSize: 12 }} />
          <YAxis domain={[0, 1]} tickFormatter={pct} width={48} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(v) => pct(v)} />
          <Legend />
          <Bar dataKey="before" name="before" fill="#94a3b8" isAnimationActive={false} />
          <Bar dataKey="after" name="after" fill="#1d4ed8" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}
