'use client'
// Recharts 3 directly: a small area chart of one measure over the period's buckets.
// A click on the chart calls `onPick` with the index of the bucket under the pointer.
import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis } from 'recharts'
import { pickedIndex, type PickHandler } from './pick'

export interface TrendPoint {
  bucket: string
  value: number | null
}

export function TrendChart({
  points,
  label,
  onPick,
  testId,
}: {
  points: TrendPoint[]
  label: string
  onPick?: PickHandler
  testId?: string
}) {
  return (
    <div
      className={`h-16 w-full ${onPick ? 'cursor-pointer' : ''}`}
      role="img"
      aria-label={`${label} trend over ${points.length} periods`}
      data-testid={testId}
    >
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart
          data={points}
          margin={{ top: 4, right: 0, bottom: 0, left: 0 }}
          onClick={(state) => {
            const i = pickedIndex(state)
            if (i !== null && onPick) onPick(i)
          }}
        >
          <XAxis dataKey="bucket" hide />
          <Tooltip formatter={(v) => [String(v), label]} />
          {/* Dots: a bucket between two quiet ones (null: no data) would otherwise draw nothing. */}
          <Area
            type="monotone"
            dataKey="value"
            stroke="#1d4ed8"
            fill="#bfdbfe"
            dot={{ r: 2, fill: '#1d4ed8' }}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  )
}
