'use client'
import Link from 'next/link'
import { useSearchParams } from 'next/navigation'
import { Suspense } from 'react'
import { GapTable } from '@/components/gap-table'
import { FreshnessMark } from '@/components/freshness'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { api, unwrap } from '@/lib/api'
import { GAP_STATUSES, gapListHref, gapQueryOf, type GapStatus } from '@/lib/gap-filters'
import { NEEDS } from '@/lib/roles'
import { RoleGate } from '@/lib/session'
import { useApi } from '@/lib/use-api'

const EMPTY: Record<GapStatus, string> = {
  open: 'No open knowledge gap: every question in the last 30 days found an answer, or the pipelines have not run since.',
  accepted: 'No accepted gap yet: accept one from the open queue to publish its answer.',
  rejected: 'No rejected gap.',
}

function StatusTabs({ status }: { status: GapStatus }) {
  return (
    <nav aria-label="Gap status" className="flex gap-2 text-sm">
      {GAP_STATUSES.map((s) => (
        <Link
          key={s}
          href={gapListHref(s)}
          aria-current={s === status ? 'page' : undefined}
          className={`rounded border px-3 py-1 ${s === status ? 'border-blue-700 bg-blue-700 text-white' : 'border-gray-300 text-gray-800 hover:bg-gray-100'}`}
        >
          {s}
        </Link>
      ))}
    </nav>
  )
}

function Gaps() {
  const query = gapQueryOf(useSearchParams())
  const list = useApi(JSON.stringify(query), async () =>
    unwrap(await api.GET('/api/v1/analytics/knowledge-gaps', { params: { query } })),
  )
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-semibold">What can’t the AI answer?</h1>
          <FreshnessMark refreshKey={JSON.stringify(query)} />
        </div>
        <StatusTabs status={query.status} />
      </div>
      <p className="text-sm text-gray-700">
        Questions the agents could not ground in knowledge, grouped and ranked by volume, recency and what
        their escalations cost. Open one to review its drafted answer.
      </p>
      {list.state === 'loading' ? <Loading what="knowledge gaps" /> : null}
      {list.state === 'error' ? <ErrorNote error={list.error} /> : null}
      {list.state === 'ok' && list.data.items.length === 0 ? <Empty>{EMPTY[query.status]}</Empty> : null}
      {list.state === 'ok' && list.data.items.length > 0 ? (
        <GapTable gaps={list.data.items} accepted={query.status === 'accepted'} />
      ) : null}
      <div className="flex gap-3 text-sm">
        {query.cursor ? (
          <Link className="text-blue-800 underline" href={gapListHref(query.status)}>
            First page
          </Link>
        ) : null}
        {list.state === 'ok' && list.data.nextCursor ? (
          <Link className="text-blue-800 underline" href={gapListHref(query.status, list.data.nextCursor)}>
            Next page
          </Link>
        ) : null}
      </div>
    </div>
  )
}

export default function Page() {
  return (
    <RoleGate min={NEEDS.readGaps}>
      <Suspense fallback={<Loading what="knowledge gaps" />}>
        <Gaps />
      </Suspense>
    </RoleGate>
  )
}
