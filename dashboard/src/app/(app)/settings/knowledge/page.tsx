'use client'
// Settings → Knowledge bases: every knowledge base, one opened (?kb=…) with its documents (a page
// at a time, ?cursor=…), a document's chunks (?doc=…), and for admins: create, upload, confirm a
// template's starter document, delete.
import Link from 'next/link'
import { useRouter, useSearchParams } from 'next/navigation'
import { Suspense, useState, type FormEvent } from 'react'
import { DocumentChunks } from '@/components/document-chunks'
import { KnowledgeDocuments } from '@/components/knowledge-documents'
import { KnowledgeUpload } from '@/components/knowledge-upload'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { api, ApiError, unwrap } from '@/lib/api'
import { knowledgeHref, knowledgeQueryOf, type KnowledgeQuery } from '@/lib/knowledge-filters'
import { NEEDS } from '@/lib/roles'
import { RoleGate, useAtLeast } from '@/lib/session'
import { useApi } from '@/lib/use-api'

function NewKnowledgeBase({ onCreated }: { onCreated: (id: string) => void }) {
  const [error, setError] = useState<ApiError>()
  const [busy, setBusy] = useState(false)
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const raw = new FormData(e.currentTarget).get('name')
    const name = typeof raw === 'string' ? raw : ''
    setBusy(true)
    setError(undefined)
    try {
      onCreated(unwrap(await api.POST('/api/v1/knowledge-bases', { body: { name } })).id)
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
    <form onSubmit={submit} className="flex flex-col gap-2" aria-label="New knowledge base">
      <label className="flex flex-col gap-1 text-sm font-medium text-gray-800">
        New knowledge base
        <input
          name="name"
          required
          maxLength={120}
          className="rounded border border-gray-300 px-3 py-2 font-normal"
        />
      </label>
      {error ? <ErrorNote error={error} /> : null}
      <div>
        <button
          disabled={busy}
          className="rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          Create
        </button>
      </div>
    </form>
  )
}

function OpenBase({ query, mayWrite }: { query: KnowledgeQuery & { kb: string }; mayWrite: boolean }) {
  const router = useRouter()
  const [version, setVersion] = useState(0)
  const kb = query.kb
  const docs = useApi(`kb-${kb}-${query.cursor}-${version}`, async () => ({
    base: unwrap(await api.GET('/api/v1/knowledge-bases/{id}', { params: { path: { id: kb } } })),
    page: unwrap(
      await api.GET('/api/v1/knowledge-bases/{id}/documents', {
        params: { path: { id: kb }, query: { limit: 50, ...(query.cursor ? { cursor: query.cursor } : {}) } },
      }),
    ),
  }))
  const [armed, setArmed] = useState(false)
  const [error, setError] = useState<ApiError>()
  if (docs.state === 'loading') return <Loading what="the documents" />
  if (docs.state === 'error') return <ErrorNote error={docs.error} />
  const { base, page } = docs.data
  async function removeBase() {
    const r = await api.DELETE('/api/v1/knowledge-bases/{id}', { params: { path: { id: kb } } })
    if (r.response.ok) return router.push(knowledgeHref({}))
    try {
      unwrap(r)
    } catch (err) {
      if (err instanceof ApiError) setError(err)
    }
  }
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h2 className="text-xl font-semibold" data-testid="kb-name">
            {base.name}
          </h2>
          {base.description ? <p className="text-sm text-gray-700">{base.description}</p> : null}
        </div>
        {mayWrite ? (
          <button
            onClick={() => (armed ? removeBase() : setArmed(true))}
            className="text-sm text-rose-800 underline"
          >
            {armed ? `Really delete “${base.name}” and its documents?` : 'Delete knowledge base'}
          </button>
        ) : null}
      </div>
      {error ? <ErrorNote error={error} /> : null}
      <KnowledgeDocuments
        kbId={kb}
        docs={page.items}
        openDoc={query.doc}
        mayWrite={mayWrite}
        onChanged={() => setVersion((v) => v + 1)}
      />
      <div className="flex gap-4 text-sm">
        {query.cursor ? (
          <Link className="text-blue-800 underline" href={knowledgeHref({ kb })}>
            First page
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link className="text-blue-800 underline" href={knowledgeHref({ kb, cursor: page.nextCursor })}>
            Next page
          </Link>
        ) : null}
      </div>
      {query.doc ? <DocumentChunks kbId={kb} docId={query.doc} /> : null}
      {mayWrite ? (
        <section aria-labelledby="add-title" className="rounded border border-gray-200 bg-white p-4">
          <h3 id="add-title" className="mb-2 font-semibold">
            Add knowledge
          </h3>
          <KnowledgeUpload knowledgeBaseId={kb} onAdded={() => setVersion((v) => v + 1)} />
        </section>
      ) : (
        <p className="text-sm text-gray-700">
          Adding, confirming or deleting knowledge needs the admin role or higher.
        </p>
      )}
    </div>
  )
}

function Knowledge() {
  const query = knowledgeQueryOf(useSearchParams())
  const router = useRouter()
  const mayWrite = useAtLeast(NEEDS.writeKnowledge)
  // Keyed on the open base: creating or deleting one navigates, and the list follows.
  const bases = useApi(`knowledge-bases-${query.kb}`, async () =>
    unwrap(await api.GET('/api/v1/knowledge-bases', { params: { query: { limit: 200 } } })),
  )
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Knowledge bases</h1>
      <div className="grid gap-6 md:grid-cols-[16rem_1fr]">
        <aside className="flex flex-col gap-4">
          {bases.state === 'loading' ? <Loading what="knowledge bases" /> : null}
          {bases.state === 'error' ? <ErrorNote error={bases.error} /> : null}
          {bases.state === 'ok' && bases.data.items.length === 0 ? (
            <Empty>No knowledge base yet.</Empty>
          ) : null}
          {bases.state === 'ok' && bases.data.items.length > 0 ? (
            <nav aria-label="Knowledge bases">
              <ul className="flex flex-col gap-1" data-testid="knowledge-bases">
                {bases.data.items.map((b) => (
                  <li key={b.id}>
                    <Link
                      href={knowledgeHref({ kb: b.id })}
                      aria-current={query.kb === b.id ? 'page' : undefined}
                      className={
                        query.kb === b.id ? 'font-semibold underline' : 'text-blue-800 hover:underline'
                      }
                    >
                      {b.name}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {mayWrite ? <NewKnowledgeBase onCreated={(id) => router.push(knowledgeHref({ kb: id }))} /> : null}
        </aside>
        <div>
          {query.kb ? (
            <OpenBase key={query.kb} query={{ ...query, kb: query.kb }} mayWrite={mayWrite} />
          ) : (
            <Empty>Choose a knowledge base to see its documents.</Empty>
          )}
        </div>
      </div>
    </div>
  )
}

export default function Page() {
  return (
    <RoleGate min={NEEDS.readKnowledge}>
      <Suspense fallback={<Loading what="knowledge bases" />}>
        <Knowledge />
      </Suspense>
    </RoleGate>
  )
}
