'use client'
import { useSearchParams } from 'next/navigation'
import { Suspense } from 'react'
import { Assumptions, HeadlineCards, ResolutionCards } from '@/components/overview-cards'
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
  const result = useApi(`${period.from}/${period.to}/${granularity}`, async () => {
    const [roi, prev] = await Promise.all([
      roiOf(period, granularity),
      roiOf(previousOf(period), granularity),
    ])
    return { roi, prev }
  })
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-2xl font-semibold">Is the AI paying for itself?</h1>
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
          <HeadlineCards roi={result.data.roi} prev={result.data.prev} />
          <ResolutionCards roi={result.data.roi} prev={result.data.prev} />
          <Assumptions roi={result.data.roi} />
        </>
      ) : null}
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
