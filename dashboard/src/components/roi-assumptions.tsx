'use client'
// The assumptions behind net ROI and hours saved, visible to all and editable by admins. The API
// binds minutes per conversation, hourly cost and subscription into the query (semantic layer), so
// a saved value changes the numbers at once: the overview re-reads them after the save. The two
// windows decide which conversations count as resolved; the conversation_outcomes_v1 job applies
// them when it computes an outcome and its incremental runs only recompute the last 9 days, so
// they are shown, not edited here (a change needs a full rebuild of the outcomes).
import { useState, type FormEvent } from 'react'
import { ErrorNote } from '@/components/states'
import { api, ApiError, unwrap } from '@/lib/api'
import { fmtCount, fmtMoney } from '@/lib/format'
import { NEEDS } from '@/lib/roles'
import { useAtLeast, useOrganization } from '@/lib/session'

const FIELDS = [
  {
    key: 'minutesPerConversation',
    label: 'Minutes a person needs per conversation',
    min: 0.1,
    max: 600,
    step: 0.1,
  },
  { key: 'hourlyCost', label: 'Loaded hourly cost of a person', min: 0, max: 10_000, step: 0.01 },
  {
    key: 'subscriptionMonthly',
    label: 'Platform subscription per month',
    min: 0,
    max: 10_000_000,
    step: 0.01,
  },
] as const
type Key = (typeof FIELDS)[number]['key']

export function RoiAssumptions({ onSaved }: { onSaved: () => void }) {
  const { organization, update } = useOrganization()
  const mayEdit = useAtLeast(NEEDS.editAssumptions)
  const a = organization.roiAssumptions
  const [editing, setEditing] = useState(false)
  const [values, setValues] = useState<Record<Key, string>>(() => current())
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()

  function current(): Record<Key, string> {
    return {
      minutesPerConversation: String(a.minutesPerConversation),
      hourlyCost: String(a.hourlyCost),
      subscriptionMonthly: String(a.subscriptionMonthly),
    }
  }

  async function save(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const body = Object.fromEntries(FIELDS.map((f) => [f.key, Number(values[f.key])])) as Record<
        Key,
        number
      >
      update(unwrap(await api.PATCH('/api/v1/organization/roi-assumptions', { body })))
      setEditing(false)
      onSaved()
    } catch (err) {
      setError(
        err instanceof ApiError
          ? err
          : new ApiError(0, 'unavailable', 'The dashboard could not reach the API'),
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <section
      aria-labelledby="assumptions-heading"
      className="flex flex-col gap-3 rounded border border-gray-200 bg-white p-4 text-sm"
      data-testid="roi-assumptions"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="assumptions-heading" className="text-lg font-semibold">
          Assumptions behind the ROI
        </h2>
        {mayEdit && !editing ? (
          <button
            onClick={() => {
              setValues(current())
              setEditing(true)
            }}
            className="rounded border border-gray-300 px-3 py-1 hover:bg-gray-100"
          >
            Edit assumptions
          </button>
        ) : null}
      </div>
      {editing ? (
        <form onSubmit={save} className="flex flex-col gap-3">
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
            {FIELDS.map((f) => (
              <label key={f.key} className="flex flex-col gap-1">
                {f.label}
                {f.key === 'minutesPerConversation' ? '' : ` (${a.currency})`}
                <input
                  name={f.key}
                  type="number"
                  required
                  min={f.min}
                  max={f.max}
                  step={f.step}
                  value={values[f.key]}
                  onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                  className="rounded border border-gray-300 p-2"
                />
              </label>
            ))}
          </div>
          {error ? <ErrorNote error={error} /> : null}
          <div className="flex gap-3">
            <button
              type="submit"
              disabled={busy}
              className="rounded bg-blue-700 px-3 py-2 font-medium text-white disabled:opacity-60"
            >
              {busy ? 'Saving…' : 'Save and recompute'}
            </button>
            <button
              type="button"
              onClick={() => setEditing(false)}
              className="rounded border border-gray-300 px-3 py-2 hover:bg-gray-100"
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <dl className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-2">
          <Item term="Minutes a person needs per conversation" value={fmtCount(a.minutesPerConversation)} />
          <Item term="Loaded hourly cost" value={`${fmtMoney(a.hourlyCost, a.currency)}/h`} />
          <Item term="Subscription" value={`${fmtMoney(a.subscriptionMonthly, a.currency)}/month`} />
          <Item term="Resolution window" value={`${fmtCount(a.resolutionWindowHours)} h`} />
          <Item term="Durable after" value={`${fmtCount(a.durableDays)} days`} />
        </dl>
      )}
      <p className="text-xs text-gray-600">
        Minutes, hourly cost and subscription apply to the numbers above at once. The resolution and durable
        windows decide which conversations count as resolved when the pipelines compute them, so they change
        only through a full rebuild of the outcomes.
        {mayEdit ? '' : ' Admins and owners can edit the assumptions.'}
      </p>
    </section>
  )
}

function Item({ term, value }: { term: string; value: string }) {
  return (
    <div className="flex justify-between gap-3 border-b border-gray-100 py-1">
      <dt className="text-gray-700">{term}</dt>
      <dd className="font-medium" data-testid={`assumption-${term}`}>
        {value}
      </dd>
    </div>
  )
}
