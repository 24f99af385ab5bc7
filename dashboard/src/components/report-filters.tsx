'use client'
import { useSearchParams } from 'next/navigation'
import { PeriodPicker, useSetParams } from '@/components/period-picker'
import { api, unwrap, type Schemas } from '@/lib/api'
import { useApi } from '@/lib/use-api'
import { CHANNELS, STATUSES, type ReportFilters } from '@/lib/conversation-filters'

function Select(p: { name: string; label: string; options: { value: string; label: string }[] }) {
  const params = useSearchParams()
  const set = useSetParams()
  const current = params.get(p.name) ?? ''
  // A value the URL names but the list lacks (a link from another screen) still shows as chosen.
  const options =
    current && !p.options.some((o) => o.value === current)
      ? [...p.options, { value: current, label: current }]
      : p.options
  return (
    <label className="flex flex-col">
      {p.label}
      <select
        name={p.name}
        value={current}
        onChange={(e) => set({ [p.name]: e.target.value })}
        className="rounded border border-gray-300 px-2 py-1"
      >
        <option value="">all</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  )
}

/** The gap a link from the gap queue filters by: its title (the id if it cannot be read), removable. */
function GapFilter({ gapId }: { gapId: string }) {
  const set = useSetParams()
  const gap = useApi(`gap/${gapId}`, async () =>
    unwrap(await api.GET('/api/v1/analytics/knowledge-gaps/{id}', { params: { path: { id: gapId } } })),
  )
  const label = gap.state === 'ok' ? gap.data.label : gapId.slice(0, 8)
  return (
    <p
      className="flex items-center gap-2 rounded bg-blue-50 px-2 py-1 text-blue-900"
      data-testid="gap-filter"
    >
      Asked in knowledge gap: <span className="font-medium">{label}</span>
      <button
        type="button"
        onClick={() => set({ gapId: '' })}
        className="rounded border border-blue-300 px-1.5 text-xs hover:bg-blue-100"
        aria-label="Remove the knowledge gap filter"
      >
        remove
      </button>
    </p>
  )
}

const plain = (list: readonly string[]) => list.map((v) => ({ value: v, label: v.replace('_', ' ') }))

export function ReportFilterBar({
  filters,
  agents,
  intents,
  variants,
}: {
  filters: ReportFilters
  agents: Schemas['Agent'][]
  /** The intents with conversations in the period (the semantic layer's `intent` dimension). */
  intents: string[]
  variants: { value: string; label: string }[]
}) {
  return (
    <form
      aria-label="Filters"
      className="flex flex-wrap items-end gap-3 text-sm"
      onSubmit={(e) => e.preventDefault()}
    >
      <PeriodPicker period={filters.period} />
      <Select name="status" label="Outcome" options={plain(STATUSES)} />
      <Select
        name="resolved"
        label="AI-resolved"
        options={[
          { value: 'true', label: 'yes' },
          { value: 'false', label: 'no' },
        ]}
      />
      <Select name="agentId" label="Agent" options={agents.map((a) => ({ value: a.id, label: a.name }))} />
      <Select name="channel" label="Channel" options={plain(CHANNELS)} />
      <Select name="intent" label="Intent" options={intents.map((i) => ({ value: i, label: i }))} />
      <Select name="variantId" label="Prompt variant" options={variants} />
      <Select
        name="minCsat"
        label="CSAT at least"
        options={['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v }))}
      />
      {filters.query.gapId ? <GapFilter gapId={filters.query.gapId} /> : null}
    </form>
  )
}
