'use client'
// Period (and granularity) controls that write to the URL: the URL is the state.
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import type { Period } from '@/lib/period'

/** Replaces the given query params (empty string removes one), keeping the others. */
export function useSetParams() {
  const router = useRouter()
  const path = usePathname()
  const params = useSearchParams()
  return (changes: Record<string, string>) => {
    const next = new URLSearchParams(params.toString())
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v)
      else next.delete(k)
    }
    next.delete('cursor')
    router.replace(`${path}?${next.toString()}`)
  }
}

export function PeriodPicker({ period, granularity }: { period: Period; granularity?: string }) {
  const set = useSetParams()
  return (
    <div className="flex flex-wrap items-end gap-3 text-sm">
      <label className="flex flex-col">
        From
        <input
          type="date"
          value={period.from}
          onChange={(e) => set({ from: e.target.value, to: period.to })}
          className="rounded border border-gray-300 px-2 py-1"
        />
      </label>
      <label className="flex flex-col">
        To (exclusive)
        <input
          type="date"
          value={period.to}
          onChange={(e) => set({ from: period.from, to: e.target.value })}
          className="rounded border border-gray-300 px-2 py-1"
        />
      </label>
      {granularity ? (
        <label className="flex flex-col">
          Trend by
          <select
            value={granularity}
            onChange={(e) => set({ granularity: e.target.value })}
            className="rounded border border-gray-300 px-2 py-1"
          >
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </label>
      ) : null}
    </div>
  )
}
