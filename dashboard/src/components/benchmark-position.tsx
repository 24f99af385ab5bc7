'use client'
// Where the organization stands in its vertical (GET /analytics/benchmarks): its own value beside
// the median and quartiles of the vertical's organizations. The API publishes nothing below k = 5
// contributing organizations (k-anonymity); then this says so instead of drawing a thin sample.
import { QuartileStrip } from '@/components/charts'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { displayLocale, fmtCount, fmtRatio } from '@/lib/format'
import { positionOf } from '@/lib/benchmark'
import { useApi } from '@/lib/use-api'

type Row = Extract<Schemas['Benchmarks'], { published: true }>['metrics'][number]

const METRICS: Record<string, { title: string; fmt: (v: number | null) => string; lowerIsBetter: boolean }> =
  {
    ai_resolution_rate: { title: 'AI resolution rate', fmt: fmtRatio, lowerIsBetter: false },
    escalation_rate: { title: 'Escalation rate', fmt: fmtRatio, lowerIsBetter: true },
    csat: {
      title: 'CSAT (1–5)',
      fmt: (v) =>
        v === null ? '—' : new Intl.NumberFormat(displayLocale(), { maximumFractionDigits: 2 }).format(v),
      lowerIsBetter: false,
    },
    median_response_latency_ms: {
      title: 'Median reply time',
      fmt: (v) => (v === null ? '—' : `${fmtCount(Math.round(v))} ms`),
      lowerIsBetter: true,
    },
  }

export function BenchmarkPosition() {
  const b = useApi('benchmarks', async () => unwrap(await api.GET('/api/v1/analytics/benchmarks')))
  return (
    <section aria-labelledby="benchmark-heading" className="flex flex-col gap-3" data-testid="benchmarks">
      <h2 id="benchmark-heading" className="text-lg font-semibold">
        Your position in the vertical
      </h2>
      {b.state === 'loading' ? <Loading what="the vertical benchmark" /> : null}
      {b.state === 'error' ? <ErrorNote error={b.error} /> : null}
      {b.state === 'ok' && !b.data.published ? (
        <Empty testId="benchmark-empty">
          No benchmark for {b.data.vertical.replace('_', ' ')} yet: {b.data.reason} contribute to it. It is
          published from 5 on, so that no single organization can be recognised in it.
        </Empty>
      ) : null}
      {b.state === 'ok' && b.data.published ? (
        <>
          <p className="text-sm text-gray-700">
            {fmtCount(b.data.organizations)} {b.data.vertical.replace('_', ' ')} organizations,{' '}
            {b.data.period.from.slice(0, 10)} to {b.data.period.to.slice(0, 10)}. The box spans the middle
            half of them, the line is their median, the dot is you.
          </p>
          <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
            {b.data.metrics
              .filter((r) => r.metric in METRICS)
              .map((r) => (
                <Metric key={r.metric} row={r} />
              ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}

function Metric({ row }: { row: Row }) {
  const m = METRICS[row.metric]!
  const published = row.published && row.p25 !== null && row.median !== null && row.p75 !== null
  return (
    <li
      className="flex flex-col gap-2 rounded border border-gray-200 bg-white p-3"
      data-testid={`benchmark-${row.metric}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-medium">{m.title}</h3>
        <span className="text-sm">
          you <strong data-value={row.own ?? 'null'}>{m.fmt(row.own)}</strong>
        </span>
      </div>
      {published ? (
        <>
          <QuartileStrip own={row.own} p25={row.p25!} median={row.median!} p75={row.p75!} />
          <p className="text-xs text-gray-700">
            median <span data-testid="median">{m.fmt(row.median)}</span> · middle half {m.fmt(row.p25)}–
            {m.fmt(row.p75)} · {positionOf(row, m.lowerIsBetter)}
          </p>
        </>
      ) : (
        <p className="text-xs text-gray-700">
          Not published: only {fmtCount(row.organizations)} organizations have a value (5 needed).
        </p>
      )}
    </li>
  )
}
