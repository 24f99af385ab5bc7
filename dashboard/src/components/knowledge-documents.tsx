'use client'
// One knowledge base's documents: whether the agent may use each (a template's starter document
// is not used until confirmed), its chunks, and — for roles the API lets write — confirm and delete.
import Link from 'next/link'
import { useState } from 'react'
import { api, ApiError, unwrap, type Schemas } from '@/lib/api'
import { fmtDateTime } from '@/lib/format'
import { knowledgeHref } from '@/lib/knowledge-filters'
import { Empty, ErrorNote } from './states'

type Doc = Schemas['Document']

function Status({ doc }: { doc: Doc }) {
  if (!doc.confirmedAt)
    return (
      <span className="rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-950" data-testid="doc-unconfirmed">
        Template example — not used until confirmed
      </span>
    )
  return (
    <span className="rounded bg-green-100 px-2 py-0.5 text-xs text-green-950" data-testid="doc-confirmed">
      {doc.indexedAt ? 'Used in replies' : 'Confirmed, indexing'}
    </span>
  )
}

export function KnowledgeDocuments(p: {
  kbId: string
  docs: Doc[]
  openDoc: string | null
  mayWrite: boolean
  onChanged: () => void
}) {
  const [busy, setBusy] = useState<string>()
  const [armed, setArmed] = useState<string>()
  const [error, setError] = useState<ApiError>()
  async function act(id: string, write: () => Promise<unknown>) {
    setBusy(id)
    setError(undefined)
    try {
      await write()
      p.onChanged()
    } catch (err) {
      setError(
        err instanceof ApiError
          ? err
          : new ApiError(0, 'unavailable', 'The dashboard could not reach the API'),
      )
    } finally {
      setBusy(undefined)
      setArmed(undefined)
    }
  }
  const params = (docId: string) => ({ path: { id: p.kbId, docId } })
  const confirm = (d: Doc) =>
    act(d.id, async () =>
      unwrap(
        await api.POST('/api/v1/knowledge-bases/{id}/documents/{docId}/confirm', { params: params(d.id) }),
      ),
    )
  const remove = (d: Doc) =>
    act(d.id, async () => {
      const r = await api.DELETE('/api/v1/knowledge-bases/{id}/documents/{docId}', { params: params(d.id) })
      if (!r.response.ok) unwrap(r)
    })
  if (p.docs.length === 0) return <Empty>No documents yet: add one below.</Empty>
  return (
    <div className="flex flex-col gap-2">
      {error ? <ErrorNote error={error} /> : null}
      <ul
        className="flex flex-col divide-y divide-gray-200 rounded border border-gray-200 bg-white"
        data-testid="documents"
      >
        {p.docs.map((d) => (
          <li key={d.id} className="flex flex-col gap-1 p-3" data-testid="document">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{d.title}</span>
              <Status doc={d} />
              <span className="text-xs text-gray-700">
                {d.source} · {fmtDateTime(d.updatedAt)}
              </span>
            </div>
            <p className="line-clamp-2 text-sm text-gray-800">{d.text}</p>
            <div className="flex flex-wrap gap-3 text-sm">
              <Link
                className="text-blue-800 underline"
                href={knowledgeHref({ kb: p.kbId, doc: p.openDoc === d.id ? null : d.id })}
                aria-expanded={p.openDoc === d.id}
              >
                {p.openDoc === d.id ? 'Hide chunks' : 'See chunks'}
              </Link>
              {p.mayWrite && !d.confirmedAt ? (
                <button
                  onClick={() => confirm(d)}
                  disabled={busy === d.id}
                  className="text-blue-800 underline disabled:opacity-60"
                >
                  Confirm: this is true for my business
                </button>
              ) : null}
              {p.mayWrite ? (
                armed === d.id ? (
                  <button
                    onClick={() => remove(d)}
                    disabled={busy === d.id}
                    className="font-medium text-rose-800 underline disabled:opacity-60"
                  >
                    Really delete “{d.title}”?
                  </button>
                ) : (
                  <button onClick={() => setArmed(d.id)} className="text-rose-800 underline">
                    Delete
                  </button>
                )
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}
