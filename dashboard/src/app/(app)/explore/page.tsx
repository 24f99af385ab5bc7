'use client'
import { FreshnessMark } from '@/components/freshness'
// Any measure of the semantic layer by any of its dimensions (GET /analytics/catalogue, then
// GET /analytics/query): a chart and a table, each group linked to its conversations.
import { useRouter, useSearchParams } from 'next/navigation'
import { Suspense } from 'react'
import { GroupBars } from '@/components/charts'
import { DataTable, type Column } from '@/components/data-table'
import { PeriodPicker, useSetParams } from '@/components/period-picker'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { csvName } from '@/lib/csv'
import { groupHref } from '@/lib/drill'
import { instant, periodOf } from '@/lib/period'
import { RoleGate } from '@/lib/session'
import { formatterOf } from '@/lib/units'
import { useAgentName } from '@/lib/use-agents'
import { useApi } from '@/lib/use-api'
import { useVariantName } from '@/lib/use-variants'

type Catalogue = Schemas['AnalyticsCatalogue']
interface Group {
  key: string
  label: string
  value: number | null
  href: string | null
}

function Picker(p: {
  name: string
  label: string
  value: string
  options: { value: string; label: string }[]
}) {
  const set = useSetParams()
  return (
    <label className="flex flex-col text-sm">
      {p.label}
      <select
        name={p.name}
        value={p.value}
        onChange={(e) => set({ [p.name]: e.target.value })}
        className="max-w-xs rounded border border-gray-300 px-2 py-1"
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  )
}

function Result({ catalogue, measure, by }: { catalogue: Catalogue; measure: string; by: string }) {
  const router = useRouter()
  const period = periodOf(useSearchParams())
  const agentName = useAgentName()
  const variantName = useVariantName()
  const org = useApi('organization', async () => unwrap(await api.GET('/api/v1/organization')))
  const m = catalogue.measures.find((x) => x.name === measure)!
  const fmt = formatterOf(m.unit, org.state === 'ok' ? org.data.roiAssumptions.currency : 'USD')
  const result = useApi(`${measure}/${by}/${period.from}/${period.to}`, async () =>
    unwrap(
      await api.GET('/api/v1/analytics/query', {
        params: {
          query: { measures: measure, dimensions: by, from: instant(period.from), to: instant(period.to) },
        },
      }),
    ),
  )
  if (result.state === 'loading') return <Loading what="the numbers" />
  if (result.state === 'error') return <ErrorNote error={result.error} />
  const nameOf = (v: string) => (by === 'agent' ? agentName(v) : by === 'variant' ? variantName(v) : v)
  const groups: Group[] = result.data.rows.map((r) => {
    const key = String(r[by] ?? '')
    const value = r[measure]
    return {
      key,
      label: nameOf(key),
      value: typeof value === 'number' ? value : null,
      href: groupHref(period, measure, by, key),
    }
  })
  if (groups.length === 0) return <Empty>No data for this measure in this period: pick another period.</Empty>
  const dim = catalogue.dimensions.find((d) => d.name === by)
  const columns: Column<Group>[] = [
    { header: by, text: (g) => g.label, csv: (g) => g.key, href: (g) => g.href },
    { header: measure, text: (g) => fmt(g.value), csv: (g) => g.value, href: (g) => g.href, numeric: true },
  ]
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-gray-700">
        {m.description}, by {dim?.description.toLowerCase() ?? by}. Click a bar or a number for the
        conversations behind it.
      </p>
      <GroupBars
        points={groups.map((g) => ({ label: g.label, value: g.value }))}
        label={`${measure} by ${by}`}
        format={fmt}
        onPick={(i) => {
          const href = groups[i]?.href
          if (href) router.push(href)
        }}
        testId="explore-chart"
      />
      <DataTable
        caption={`${measure} by ${by}`}
        rows={groups}
        columns={columns}
        rowKey={(g) => g.key}
        csvName={csvName(measure, 'by', by, period.from, period.to)}
        testId="explore-table"
      />
    </div>
  )
}

function Explore() {
  const params = useSearchParams()
  const period = periodOf(params)
  const catalogue = useApi('catalogue', async () => unwrap(await api.GET('/api/v1/analytics/catalogue')))
  const c = catalogue.state === 'ok' ? catalogue.data : null
  const measure = c?.measures.find((x) => x.name === params.get('measure'))?.name ?? 'conversations'
  const by = c?.dimensions.find((x) => x.name === params.get('by'))?.name ?? 'day'
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Explore</h1>
          <FreshnessMark />
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <PeriodPicker period={period} />
          {c ? (
            <>
              <Picker
                name="measure"
                label="Measure"
                value={measure}
                options={c.measures.map((x) => ({
                  value: x.name,
                  label: `${x.name.replaceAll('_', ' ')} (${x.unit})`,
                }))}
              />
              <Picker
                name="by"
                label="Grouped by"
                value={by}
                options={c.dimensions.map((x) => ({ value: x.name, label: x.name }))}
              />
            </>
          ) : null}
        </div>
      </div>
      {catalogue.state === 'loading' ? <Loading what="the measures" /> : null}
      {catalogue.state === 'error' ? <ErrorNote error={catalogue.error} /> : null}
      {c ? <Result catalogue={c} measure={measure} by={by} /> : null}
    </div>
  )
}

export default function Page() {
  return (
    <RoleGate min="viewer">
      <Suspense fallback={<Loading what="the explorer" />}>
        <Explore />
      </Suspense>
    </RoleGate>
  )
}
