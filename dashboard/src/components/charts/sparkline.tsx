// A small bar sparkline in plain SVG (a table cell holds dozens: no chart library per cell). The
// values ride in data-values so a test can read exactly what is drawn; the label says it in words.
export interface SparklineProps {
  values: number[]
  /** What a screen reader hears, e.g. "7 questions in 14 days, 3 today". */
  label: string
  testId?: string
}

export function Sparkline({ values, label, testId }: SparklineProps) {
  const w = 84
  const h = 24
  const max = Math.max(1, ...values)
  const bar = w / Math.max(1, values.length)
  return (
    <svg
      role="img"
      aria-label={label}
      width={w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      data-testid={testId}
      data-values={values.join(',')}
      className="text-blue-700"
    >
      <line x1={0} y1={h - 0.5} x2={w} y2={h - 0.5} stroke="currentColor" strokeOpacity={0.25} />
      {values.map((v, i) =>
        v > 0 ? (
          <rect
            key={i}
            x={i * bar + 1}
            y={h - (v / max) * (h - 2)}
            width={Math.max(1, bar - 2)}
            height={(v / max) * (h - 2)}
            fill="currentColor"
          />
        ) : null,
      )}
    </svg>
  )
}
