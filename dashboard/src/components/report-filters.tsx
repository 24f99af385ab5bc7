'use client'
import { useSearchParams } from 'next/navigation'
import { PeriodPicker, useSetParams } from '@/components/period-picker'
import type { Schemas } from '@/lib/api'
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
    </form>
  )
}
