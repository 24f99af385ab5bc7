'use client'
import { useState, type FormEvent } from 'react'
import { ErrorNote } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { fmtMoney } from '@/lib/format'
import { useWrite } from '@/lib/use-write'

type WidgetKey = Schemas['WidgetKey']

/**
 * A widget key's daily LLM budget: what its turns cost today beside the cap, and the cap to set
 * (empty = no cap). Past the cap the widget answers "back tomorrow" without calling the model.
 */
export function WidgetSpendCap({ k, onSaved }: { k: WidgetKey; onSaved: () => void }) {
  const [cap, setCap] = useState(k.dailySpendCapUsd === null ? '' : String(k.dailySpendCapUsd))
  const write = useWrite()
  async function submit(e: FormEvent) {
    e.preventDefault()
    const dailySpendCapUsd = cap.trim() === '' ? null : Number(cap)
    const params = { path: { id: k.id } }
    if (
      await write.run(async () =>
        unwrap(await api.PATCH('/api/v1/widget-keys/{id}', { params, body: { dailySpendCapUsd } })),
      )
    )
      onSaved()
  }
  const reached = k.dailySpendCapUsd !== null && k.spentTodayUsd >= k.dailySpendCapUsd
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-2 text-sm">
      <p data-testid="widget-spend" data-value={k.spentTodayUsd}>
        Model cost today: <strong>{fmtMoney(k.spentTodayUsd, 'USD')}</strong>
        {k.dailySpendCapUsd === null ? ' (no cap)' : ` of ${fmtMoney(k.dailySpendCapUsd, 'USD')}`}
        {reached ? (
          <span className="font-semibold text-rose-800">
            {' '}
            — cap reached, the widget pauses until tomorrow (UTC)
          </span>
        ) : null}
      </p>
      <label className="flex flex-col gap-1">
        Daily cap, USD (empty: none)
        <input
          inputMode="decimal"
          pattern="[0-9]*[.]?[0-9]*"
          value={cap}
          onChange={(e) => setCap(e.target.value)}
          className="w-28 rounded border border-gray-300 px-2 py-1"
        />
      </label>
      <button
        disabled={write.busy}
        className="rounded border border-gray-300 px-2 py-1 hover:bg-gray-100 disabled:opacity-60"
      >
        Save cap
      </button>
      {write.error ? <ErrorNote error={write.error} /> : null}
    </form>
  )
}
