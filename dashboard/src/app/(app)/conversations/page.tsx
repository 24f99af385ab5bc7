'use client'
import { useSearchParams } from 'next/navigation'
import { Suspense, useState } from 'react'
import { ReportFilterBar } from '@/components/report-filters'
import { ReportTable } from '@/components/report-table'
import { FreshnessMark } from '@/components/freshness'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { api, ApiError, unwrap, type Schemas } from '@/lib/api'
import { csvHref, reportFiltersOf, type ReportQuery } from '@/lib/conversation-filters'
import { RoleGate } from '@/lib/session'
import { useApi } from '@/lib/use-api'

type Page = Schemas['ResolvedConversationPage']
const PAGE = 50

async function pageOf(query: ReportQuery, cursor?: string): Promise<Page> {
  const q = { ...query, limit: PAGE, ...(cursor ? { cursor } : {}) }
  return unwrap(await api.GET('/api/v1/analytics/conversations/resolved', { params: { query: q } }))
}

/** Further pages, appended below the first; they reset whenever the filters change (`key`). */
function useMore(query: ReportQuery) {
  const [more, setMore] = useState<{
    key: string
    rows: Page['items']
    cursor: string | null
    error?: ApiError
  }>()
  const key = JSON.stringify(query)
  const current = more?.key === key ? more : undefined
  async function load(cursor: string) {
    try {
      const p = await pageOf(query, cursor)
      setMore({ key, rows: [...(current?.rows ?? []), ...p.items], cursor: p.nextCursor })
    } catch (e) {
      setMore({ key, rows: current?.rows ?? [], cursor, error: e instanceof ApiError ? e : undefined })
    }
  }
  return { current, load }
}

function Report() {
  const filters = reportFiltersOf(useSearchParams())
  const key = JSON.stringify(filters.query)
  const agents = useApi('agents', async () =>
    unwrap(await api.GET('/api/v1/agents', { params: { query: { limit: 100 } } })),
  )
  const first = useApi(key, () => pageOf(filters.query))
  const intents = useApi(`intents/${filters.query.from}/${filters.query.to}`, async () => {
    const query = {
      measures: 'conversations',
      dimensions: 'intent',
      from: filters.query.from,
      to: filters.query.to,
    }
    const r = unwrap(await api.GET('/api/v1/analytics/query', { params: { query } }))
    return r.rows.map((row) => String(row.intent ?? '')).filter(Boolean)
  })
  const experiments = useApi('experiments', async () =>
    unwrap(await api.GET('/api/v1/experiments', { params: { query: { limit: 100 } } })),
  )
  const variants =
    experiments.state === 'ok'
      ? experiments.data.items.flatMap((e) =>
          e.variants.map((v) => ({ value: v.id, label: `${e.name} · ${v.label}` })),
        )
      : []
  const { current, load } = useMore(filters.query)
  const agentList = agents.state === 'ok' ? agents.data.items : []
  const agentName = (id: string) => agentList.find((a) => a.id === id)?.name ?? id.slice(0, 8)
  const rows = first.state === 'ok' ? [...first.data.items, ...(current?.rows ?? [])] : []
  const cursor = current ? current.cursor : first.state === 'ok' ? first.data.nextCursor : null
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-semibold">Conversations</h1>
          <FreshnessMark refreshKey={key} />
        </div>
        <a
          className="rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white"
          href={csvHref(filters.query)}
          download
        >
          Download CSV of these filters
        </a>
      </div>
      <ReportFilterBar
        filters={filters}
        agents={agentList}
        intents={intents.state === 'ok' ? intents.data : []}
        variants={variants}
      />
      {first.state === 'loading' ? <Loading what="conversations" /> : null}
      {first.state === 'error' ? <ErrorNote error={first.error} /> : null}
      {first.state === 'ok' && rows.length === 0 ? (
        <Empty>No conversation matches these filters.</Empty>
      ) : null}
      {rows.length > 0 ? <ReportTable rows={rows} agentName={agentName} /> : null}
      {current?.error ? <ErrorNote error={current.error} /> : null}
      {cursor ? (
        <button
          onClick={() => load(cursor)}
          className="self-start rounded border border-gray-300 px-3 py-1 text-sm"
        >
          Show {PAGE} more
        </button>
      ) : null}
    </div>
  )
}

export default function Conversations() {
  return (
    <RoleGate min="viewer">
      <Suspense fallback={<Loading what="the report" />}>
        <Report />
      </Suspense>
    </RoleGate>
  )
}
