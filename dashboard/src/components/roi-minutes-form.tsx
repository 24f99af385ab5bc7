'use client'
// The ROI assumptions a new organization sets first: minutes a person needs per conversation (the
// template's figure by default) and what an hour of that person costs. "Human time saved" and net
// ROI on the overview are computed from them.
import { useState, type FormEvent } from 'react'
import { api, ApiError, unwrap, type Schemas } from '@/lib/api'
import { ErrorNote } from './states'

type Organization = Schemas['Organization']

export function RoiMinutesForm(p: {
  organization: Organization
  templateMinutes: number
  mayEdit: boolean
  onSaved: (o: Organization) => void
}) {
  const roi = p.organization.roiAssumptions
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    setBusy(true)
    setError(undefined)
    try {
      const body = {
        minutesPerConversation: Number(f.get('minutes')),
        hourlyCost: Number(f.get('hourlyCost')),
      }
      p.onSaved(unwrap(await api.PATCH('/api/v1/organization/roi-assumptions', { body })))
    } catch (err) {
      setError(
        err instanceof ApiError
          ? err
          : new ApiError(0, 'unavailable', 'The dashboard could not reach the API'),
      )
      setBusy(false)
    }
  }
  const cls = 'rounded border border-gray-300 px-3 py-2 font-normal'
  return (
    <form onSubmit={submit} className="flex max-w-md flex-col gap-4" aria-label="ROI assumptions">
      <label className="flex flex-col gap-1 text-sm font-medium text-gray-800">
        Minutes a person needs per conversation
        <input
          name="minutes"
          type="number"
          min={0.5}
          max={600}
          step="any"
          required
          defaultValue={p.templateMinutes}
          disabled={!p.mayEdit}
          className={cls}
        />
        <span className="text-xs font-normal text-gray-700">
          {p.templateMinutes} is the {p.organization.vertical.replace('_', ' ')} template&apos;s figure.
        </span>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium text-gray-800">
        Loaded cost of an hour of support ({roi.currency})
        <input
          name="hourlyCost"
          type="number"
          min={0}
          max={10000}
          step="any"
          required
          defaultValue={roi.hourlyCost}
          disabled={!p.mayEdit}
          className={cls}
        />
      </label>
      {error ? <ErrorNote error={error} /> : null}
      {p.mayEdit ? (
        <div>
          <button
            disabled={busy}
            className="rounded bg-blue-700 px-4 py-2 font-medium text-white disabled:opacity-60"
          >
            {busy ? 'Saving…' : 'Save and continue'}
          </button>
        </div>
      ) : (
        <p className="text-sm text-gray-700">Changing them needs the admin role or higher.</p>
      )}
    </form>
  )
}
