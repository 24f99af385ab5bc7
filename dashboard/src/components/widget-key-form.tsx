'use client'
// Creates a widget key for an agent with the origins allowed to embed it (one per line); the API
// refuses anything that is not an origin and says which line.
import { useState, type FormEvent } from 'react'
import { api, ApiError, unwrap, type Schemas } from '@/lib/api'
import { originsOf } from '@/lib/widget'
import { ErrorNote } from './states'

type WidgetKey = Schemas['WidgetKey']

export function WidgetKeyForm(p: {
  agents: { id: string; name: string }[]
  onCreated: (key: WidgetKey) => void
  initialOrigins?: string
}) {
  const [origins, setOrigins] = useState(p.initialOrigins ?? '')
  const [agentId, setAgentId] = useState(p.agents[0]?.id ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()
  async function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const body = { agentId, allowedOrigins: originsOf(origins) }
      p.onCreated(unwrap(await api.POST('/api/v1/widget-keys', { body })))
      setOrigins('')
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
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="New widget key">
      {p.agents.length > 1 ? (
        <label className="flex flex-col gap-1 text-sm font-medium text-gray-800">
          Agent
          <select
            value={agentId}
            onChange={(e) => setAgentId(e.target.value)}
            className="rounded border border-gray-300 px-3 py-2 font-normal"
          >
            {p.agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="flex flex-col gap-1 text-sm font-medium text-gray-800">
        Allowed origins (one per line, e.g. https://shop.example.com)
        <textarea
          name="origins"
          value={origins}
          onChange={(e) => setOrigins(e.target.value)}
          rows={3}
          required
          className="rounded border border-gray-300 p-2 font-normal"
        />
      </label>
      {error ? <ErrorNote error={error} /> : null}
      <div>
        <button
          disabled={busy || !agentId || originsOf(origins).length === 0}
          className="rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          {busy ? 'Creating…' : 'Create widget key'}
        </button>
      </div>
    </form>
  )
}
