// One value against a distribution's quartiles: the interquartile box, the median line and a dot
// for the value. Plain elements (no chart library needed); the numbers are said in text beside it,
// so the drawing is hidden from screen readers.

export interface QuartileStripProps {
  own: number | null
  p25: number
  median: number
  p75: number
}

export function QuartileStrip({ own, p25, median, p75 }: QuartileStripProps) {
  const values = [p25, median, p75, ...(own === null ? [] : [own])]
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  const pad = (hi - lo) * 0.15 || Math.abs(hi) * 0.1 || 1
  const at = (v: number) => `${(((v - (lo - pad)) / (hi - lo + 2 * pad)) * 100).toFixed(2)}%`
  return (
    <div aria-hidden="true" className="relative h-6 w-full rounded bg-gray-100">
      <div
        className="absolute top-1 h-4 rounded bg-blue-200"
        style={{ left: at(p25), width: `calc(${at(p75)} - ${at(p25)})` }}
      />
      <div className="absolute top-0 h-6 w-0.5 bg-blue-900" style={{ left: at(median) }} />
      {own === null ? null : (
        <div
          className="absolute top-1.5 h-3 w-3 -translate-x-1/2 rounded-full border-2 border-white bg-amber-600"
          style={{ left: at(own) }}
        />
      )}
    </div>
  )
}
