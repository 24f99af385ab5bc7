'use client'
// The vertical template's onboarding questions, one field per question kind. Saving sends only
// what was filled in (the API merges answers, so the wizard can be left and resumed); each
// customer-facing answer becomes a confirmed knowledge document on the API's side.
import { useState, type FormEvent } from 'react'
import { api, ApiError, unwrap, type Schemas } from '@/lib/api'
import { answersOf } from '@/lib/onboarding-answers'
import { ErrorNote } from './states'

type Onboarding = Schemas['Onboarding']
type Question = Schemas['OnboardingQuestion']

function Field({ q, disabled }: { q: Question; disabled: boolean }) {
  const cls = 'rounded border border-gray-300 px-3 py-2 font-normal'
  const common = { name: q.id, id: `q-${q.id}`, defaultValue: q.answer ?? '', disabled, className: cls }
  if (q.kind === 'choice' || q.kind === 'boolean') {
    const options = q.kind === 'boolean' ? ['yes', 'no'] : (q.options ?? [])
    return (
      <select {...common}>
        <option value="">Choose…</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    )
  }
  if (q.kind === 'number') return <input {...common} type="number" min={0} step="any" inputMode="decimal" />
  if (q.kind === 'url') return <input {...common} type="url" placeholder="https://" />
  return <input {...common} type="text" maxLength={2000} />
}

export function OnboardingQuestions(p: {
  onboarding: Onboarding
  mayAnswer: boolean
  /** Runs before the answers are saved (the wizard makes sure an agent exists). */
  beforeSave?: () => Promise<void>
  onSaved: (o: Onboarding) => void
}) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    // Read before any await: React clears currentTarget once the event has been handled.
    const answers = answersOf(p.onboarding.questions, new FormData(e.currentTarget))
    setBusy(true)
    setError(undefined)
    try {
      await p.beforeSave?.()
      p.onSaved(unwrap(await api.PUT('/api/v1/onboarding/answers', { body: { answers } })))
    } catch (err) {
      setError(
        err instanceof ApiError
          ? err
          : new ApiError(0, 'unavailable', 'The dashboard could not reach the API'),
      )
      setBusy(false)
    }
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Onboarding questions">
      {p.onboarding.questions.map((q) => (
        <div key={q.id} className="flex flex-col gap-1">
          <label htmlFor={`q-${q.id}`} className="text-sm font-medium text-gray-800">
            {q.question}
            {q.required ? '' : ' (optional)'}
          </label>
          <Field q={q} disabled={!p.mayAnswer} />
          <p className="text-xs text-gray-700">
            {q.customerFacing
              ? 'Your agent tells customers this, in your words.'
              : 'For your reports only; customers never see it.'}
          </p>
        </div>
      ))}
      {error ? <ErrorNote error={error} /> : null}
      {p.mayAnswer ? (
        <div>
          <button
            disabled={busy}
            className="rounded bg-blue-700 px-4 py-2 font-medium text-white disabled:opacity-60"
          >
            {busy ? 'Saving…' : 'Save and continue'}
          </button>
        </div>
      ) : (
        <p className="text-sm text-gray-700">Answering needs the admin role or higher.</p>
      )}
    </form>
  )
}
