'use client'
// The executive overview's cards, from two GET /analytics/roi answers: the period and the one before.
// Each number links to the conversations behind it, and each trend bucket to that bucket's.
import { useRouter } from 'next/navigation'
import { KpiCard, type TrendPoint } from '@/components/charts'
import type { Schemas } from '@/lib/api'
import { bucketPeriod, bucketStarts, drillHref, type DrillFilters } from '@/lib/drill'
import { changeOf, fmtCount, fmtHours, fmtMoney, fmtRatio, fmtRoi } from '@/lib/format'
import type { Granularity, Period } from '@/lib/period'

type Roi = Schemas['Roi']
type Measure = keyof Schemas['RoiTotals']

/** Every bucket of the period, the API's value where it has a row, null (no data) where not. */
function trendOf(roi: Roi, m: Measure, g: Granularity): TrendPoint[] {
  const byBucket = new Map(roi.series.map((p) => [p.day ?? p.week ?? p.month ?? '', p[m]]))
  return bucketStarts(periodOfRoi(roi), g).map((bucket) => ({ bucket, value: byBucket.get(bucket) ?? null }))
}

/** The period the API answered for (its instants are the starts of the URL's days). */
const periodOfRoi = (roi: Roi): Period => ({
  from: roi.range.from.slice(0, 10),
  to: roi.range.to.slice(0, 10),
})

/** AI-resolved counts only resolved conversations; every other measure rests on all of them. */
const filterOf = (m: Measure): DrillFilters => (m === 'ai_resolved' ? { resolved: 'true' } : {})

/** The conversations of one trend bucket (the i-th of the period's buckets). */
function bucketHref(roi: Roi, m: Measure, g: Granularity, i: number): string | null {
  const start = bucketStarts(periodOfRoi(roi), g)[i]
  return start ? drillHref(bucketPeriod(start, g, periodOfRoi(roi)), filterOf(m)) : null
}

interface CardSpec {
  m: Measure
  title: string
  fmt: (v: number | null) => string
  increaseIsGood?: boolean
  note?: string
}

interface CardsProps {
  roi: Roi
  prev: Roi
  granularity: Granularity
}

function Cards({ specs, roi, prev, granularity }: CardsProps & { specs: CardSpec[] }) {
  const router = useRouter()
  return (
    <>
      {specs.map((s) => (
        <KpiCard
          key={s.m}
          id={s.m}
          title={s.title}
          value={roi.totals[s.m]}
          display={s.fmt(roi.totals[s.m])}
          change={changeOf(roi.totals[s.m], prev.totals[s.m])}
          increaseIsGood={s.increaseIsGood ?? true}
          trend={trendOf(roi, s.m, granularity)}
          note={s.note}
          href={drillHref(periodOfRoi(roi), filterOf(s.m))}
          onPickTrend={(i) => {
            const href = bucketHref(roi, s.m, granularity, i)
            if (href) router.push(href)
          }}
        />
      ))}
    </>
  )
}

export function HeadlineCards({ roi, prev, granularity }: CardsProps) {
  const money = (v: number | null) => fmtMoney(v, roi.currency)
  const specs: CardSpec[] = [
    {
      m: 'net_roi',
      title: 'Net ROI',
      fmt: fmtRoi,
      note: '(hours saved × hourly cost + attributed revenue − platform cost) ÷ platform cost',
    },
    {
      m: 'ai_resolved',
      title: 'AI-resolved conversations',
      fmt: fmtCount,
      note: `of ${fmtCount(roi.totals.conversations)} conversations`,
    },
    { m: 'human_hours_saved', title: 'Human hours saved', fmt: fmtHours },
    { m: 'attributed_revenue', title: 'Attributed revenue', fmt: money },
    {
      m: 'platform_cost',
      title: 'Platform + LLM cost',
      fmt: money,
      increaseIsGood: false,
      note: `of which LLM ${fmtMoney(roi.totals.llm_cost, 'USD')}`,
    },
  ]
  return (
    <section aria-label="Headline numbers" className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
      <Cards specs={specs} roi={roi} prev={prev} granularity={granularity} />
    </section>
  )
}

/** The four definitions of "resolved" side by side (docs/metrics.md): each answers a different doubt. */
export function ResolutionCards({ roi, prev, granularity }: CardsProps) {
  const specs: CardSpec[] = [
    {
      m: 'confirmed_resolution_rate',
      title: 'Confirmed',
      fmt: fmtRatio,
      note: 'the customer said so (feedback or outcome)',
    },
    {
      m: 'assumed_resolution_rate',
      title: 'Assumed',
      fmt: fmtRatio,
      note: 'no return within the resolution window after a grounded reply',
    },
    {
      m: 'durable_resolution_rate',
      title: 'Durable',
      fmt: fmtRatio,
      note: 'resolved and not reopened within the durable window',
    },
    {
      m: 'verified_resolution_rate',
      title: 'Verified',
      // Null without a judged conversation: only a configured judge model (a remote LLM) judges.
      fmt: (v) => (v === null ? 'needs a judge model' : fmtRatio(v)),
      note: roi.totals.judged_conversations
        ? `a judge model read ${fmtCount(roi.totals.judged_conversations)} closed transcripts`
        : 'a judge model reads a sample of closed transcripts; none is configured or none judged yet',
    },
  ]
  return (
    <section aria-labelledby="resolution-heading" className="flex flex-col gap-3">
      <h2 id="resolution-heading" className="text-lg font-semibold">
        Resolution rate — four definitions
      </h2>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Cards specs={specs} roi={roi} prev={prev} granularity={granularity} />
      </div>
    </section>
  )
}
