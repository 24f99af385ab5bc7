'use client'
// Review of an open gap: edit the drafted answer, then accept (publish it as a knowledge document)
// or reject (suppress such questions). Only roles the API lets write see the buttons (NEEDS);
// the writes go through the shared client, which sends the CSRF header (lib/api.ts).
import { useState } from 'react'
import { ErrorNote } from '@/components/states'
import { api, ApiError, unwrap, type Schemas } from '@/lib/api'
import { NEEDS } from '@/lib/roles'
import { useAtLeast } from '@/lib/session'

type Gap = Schemas['KnowledgeGap']

/**
 * A placeholder draft says only that nothing in the knowledge base is near: it starts the editor
 * empty (publishing "[To complete] …" verbatim would reach customers) and is shown as the hint.
 */
const initialAnswer = (g: Gap) => (g.draftIsPlaceholder ? '' : (g.draftedAnswer ?? ''))

export function GapReview({ gap, onReviewed }: { gap: Gap; onReviewed: (g: Gap) => void }) {
  const mayReview = useAtLeast(NEEDS.reviewGaps)
  const [answer, setAnswer] = useState(() => initialAnswer(gap))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()
  const params = { path: { id: gap.id } }

  async function act(write: () => Promise<Gap>) {
    setBusy(true)
    setError(undefined)
    try {
      onReviewed(await write())
    } catch (e) {
      setError(
        e instanceof ApiError ? e : new ApiError(0, 'unavailable', 'The dashboard could not reach the API'),
      )
    } finally {
      setBusy(false)
    }
  }
  const accept = () =>
    act(async () =>
      unwrap(await api.POST('/api/v1/analytics/knowledge-gaps/{id}/accept', { params, body: { answer } })),
    )
  const reject = () =>
    act(async () => unwrap(await api.POST('/api/v1/analytics/knowledge-gaps/{id}/reject', { params })))

  return (
    <section
      aria-labelledby="review-title"
      className="flex flex-col gap-3 rounded border border-gray-200 bg-white p-4"
    >
      <h2 id="review-title" className="text-lg font-semibold">
        Drafted answer
      </h2>
      {gap.draftIsPlaceholder ? (
        <p className="rounded bg-amber-50 p-2 text-sm text-amber-900" data-testid="placeholder-draft">
          {gap.draftedAnswer}
        </p>
      ) : null}
      {mayReview ? (
        <>
          <label className="flex flex-col gap-1 text-sm">
            Answer to publish in the knowledge base
            <textarea
              value={answer}
              onChange={(e) => setAnswer(e.target.value)}
              rows={6}
              className="rounded border border-gray-300 p-2 font-normal"
            />
          </label>
          {error ? <ErrorNote error={error} /> : null}
          <div className="flex gap-3">
            <button
              onClick={accept}
              disabled={busy || !answer.trim()}
              className="rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
            >
              Accept and publish
            </button>
            <button
              onClick={reject}
              disabled={busy}
              className="rounded border border-gray-300 px-3 py-2 text-sm disabled:opacity-60"
            >
              Reject
            </button>
          </div>
        </>
      ) : (
        <>
          {gap.draftIsPlaceholder ? null : (
            <p className="whitespace-pre-wrap" data-testid="draft">
              {gap.draftedAnswer}
            </p>
          )}
          <p className="text-sm text-gray-700">
            Accepting or rejecting a gap needs the {NEEDS.reviewGaps} role or higher.
          </p>
        </>
      )}
    </section>
  )
}
