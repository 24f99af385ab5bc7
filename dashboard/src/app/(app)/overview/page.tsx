'use client'
import { useSearchParams } from 'next/navigation'
import { Suspense, useState } from 'react'
import { BenchmarkPosition } from '@/components/benchmark-position'
import { FreshnessMark } from '@/components/freshness'
import { HeadlineCards, ResolutionCards } from '@/components/overview-cards'
import { RoiAssumptions } from '@/components/roi-assumptions'
import { PeriodPicker } from '@/components/period-picker'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { api, unwrap } from '@/lib/api'
import { granularityOf, instant, periodOf, previousOf, type Period } from '@/lib/period'
import { RoleGate } from '@/lib/session'
import { useApi } from '@/lib/use-api'

async function roiOf(p: Period, granularity: 'day' | 'week' | 'month') {
  const query = { from: instant(p.from), to: instant(p.to), granularity }
  return unwrap(await api.GET('/api/v1/analytics/roi', { params: { query } }))
}

function Overview() {
  const params = useSearchParams()
  const period = periodOf(params)
  const granularity = granularityOf(params)
  // Bumped after an assumption is saved: the numbers are re-read, so the effect shows at once.
  const [revision, setRevision] = useState(0)
  const key = `${period.from}/${period.to}/${granularity}/${revision}`
  const result = useApi(key, async () => {
    const [roi, prev] = await Promise.all([
      roiOf(period, granularity),
      roiOf(previousOf(period), granularity),
    ])
    return { roi, prev }
  })
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-semibold">Is the AI paying for itself?</h1>
          <FreshnessMark refreshKey={key} />
        </div>
        <PeriodPicker period={period} granularity={granularity} />
      </div>
      {result.state === 'loading' ? <Loading what="the numbers" /> : null}
      {result.state === 'error' ? <ErrorNote error={result.error} /> : null}
      {result.state === 'ok' && !result.data.roi.totals.conversations ? (
        <Empty>
          No conversations in this period yet: pick another period, or send your agent its first conversation.
        </Empty>
      ) : null}
      {result.state === 'ok' && result.data.roi.totals.conversations ? (
        <>
          <HeadlineCards roi={result.data.roi} prev={result.data.prev} granularity={granularity} />
          <ResolutionCards roi={result.data.roi} prev={result.data.prev} granularity={granularity} />
        </>
      ) : null}
      {/* Outside the period's states: an admin can set the assumptions before the first conversation. */}
      <RoiAssumptions onSaved={() => setRevision((r) => r + 1)} />
      <BenchmarkPosition />
    </div>
  )
}

export default function Page() {
  return (
    <RoleGate min="viewer">
      <Suspense fallback={<Loading what="the overview" />}>
        <Overview />
      </Suspense>
    </RoleGate>
  )
}
