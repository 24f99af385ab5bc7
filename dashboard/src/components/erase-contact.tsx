'use client'
import Link from 'next/link'
import { useEffect, useState } from 'react'
import { ErrorNote } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { useWrite } from '@/lib/use-write'

type Erasure = Schemas['ErasureRequest']

const STEP_NAMES: Record<Erasure['steps'][number]['step'], string> = {
  postgres: 'Contact, conversations and messages deleted; their words scrubbed from knowledge gaps',
  clickhouse: 'Events and analytics rows of their conversations deleted',
  vectors: 'Knowledge documents that quoted them re-indexed',
}

/** How far an erasure is; polls the request until it is done (1 s apart: it is a background job). */
function Progress({ first, onDone }: { first: Erasure; onDone: () => void }) {
  const [r, setR] = useState(first)
  const [error, setError] = useState<Error>()
  useEffect(() => {
    if (r.status === 'done') return onDone()
    const timer = setTimeout(() => {
      api
        .GET('/api/v1/erasure-requests/{id}', { params: { path: { id: r.id } } })
        .then(unwrap)
        .then(setR, setError)
    }, 1_000)
    return () => clearTimeout(timer)
  }, [r])
  return (
    <div
      role="status"
      aria-live="polite"
      className="flex flex-col gap-1 text-sm"
      data-testid="erasure-progress"
    >
      <p>
        Erasure {r.status === 'done' ? 'done' : 'in progress'}: {Math.round(r.progress * 100)} %
        {r.lastError ? ` (retrying: ${r.lastError})` : ''}
      </p>
      <ul className="pl-1">
        {r.steps.map((s) => (
          <li key={s.step}>
            {s.done ? '✓' : '…'} {STEP_NAMES[s.step]}
          </li>
        ))}
      </ul>
      {r.status === 'done' ? (
        <p data-testid="erasure-done">
          {r.counts.conversations ?? 0} conversation(s) and {r.counts.messages ?? 0} message(s) removed, this
          one included.{' '}
          <Link href="/conversations" className="text-blue-800 underline">
            Back to the report
          </Link>
        </p>
      ) : null}
      {error ? <p role="alert">The dashboard could not read the progress: {error.message}</p> : null}
    </div>
  )
}

/**
 * "Erase this contact": one person's data removed from every store (POST /contacts/{id}/erasure),
 * after a confirmation that says what goes. Admins only (NEEDS.eraseContacts).
 */
export function EraseContact({
  contact,
  onDone,
}: {
  contact: { id: string; email: string | null; name: string | null }
  /** The erasure finished: the transcript on screen no longer exists. */
  onDone: () => void
}) {
  const write = useWrite()
  const [confirming, setConfirming] = useState(false)
  const [request, setRequest] = useState<Erasure>()
  const who = contact.name ?? contact.email ?? 'this contact'
  async function erase() {
    await write.run(async () =>
      setRequest(
        unwrap(await api.POST('/api/v1/contacts/{id}/erasure', { params: { path: { id: contact.id } } })),
      ),
    )
  }
  if (request) return <Progress first={request} onDone={onDone} />
  return (
    <section aria-labelledby="erase-title" className="rounded border border-rose-200 bg-white p-3 text-sm">
      <h2 id="erase-title" className="font-semibold">
        Erase this contact
      </h2>
      {confirming ? (
        <div className="flex flex-col gap-2" data-testid="erase-confirm">
          <p>
            This removes {who} and every conversation of theirs, this one included, from the database, the
            analytics store and the knowledge index, and scrubs their words from knowledge gaps and the
            documents written from them. It cannot be undone. The audit log records that a contact was erased,
            not who.
          </p>
          <div className="flex gap-2">
            <button
              type="button"
              onClick={erase}
              disabled={write.busy}
              className="rounded bg-rose-700 px-3 py-1 text-white hover:bg-rose-800 disabled:opacity-50"
            >
              Erase for good
            </button>
            <button
              type="button"
              onClick={() => setConfirming(false)}
              className="rounded border border-gray-300 px-3 py-1 hover:bg-gray-100"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          onClick={() => setConfirming(true)}
          className="mt-1 rounded border border-rose-300 px-3 py-1 text-rose-800 hover:bg-rose-50"
        >
          Erase this contact…
        </button>
      )}
      {write.error ? <ErrorNote error={write.error} /> : null}
    </section>
  )
}
