'use client'
// Recharts 3 directly: a small area chart of one measure over the period's buckets.
import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis } from 'recharts'

export interface TrendPoint {
  bucket: string
  value: number | null
}

export function TrendChart({ points, label }: { points: TrendPoint[]; label: string }) {
  return (
    <div className="h-16 w-full" role="img" aria-label={`${label} trend over ${points.length} periods`}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={points} margin={{ top: 4, right: 0, bottom: 0, left: 0 }}>
          <XAxis dataKey="bucket" hide />
          <Tooltip formatter={(v) => [String(v), label]} />
          <Area type="monotone" dataKey="value" stroke="#1d4ed8" fill="#bfdbfe" isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  )
}
