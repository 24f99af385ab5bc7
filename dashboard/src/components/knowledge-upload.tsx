'use client'
// Adds knowledge to a knowledge base three ways: typed text, a Markdown or text file, or a
// help-centre page pasted in (its address becomes the title). Each becomes one document the
// agent answers from at once (the API indexes it before answering).
import { useState, type FormEvent } from 'react'
import { api, ApiError, unwrap, type Schemas } from '@/lib/api'
import { pageTitle } from '@/lib/knowledge-page'
import { ErrorNote } from './states'

type Doc = Schemas['Document']
type Mode = 'text' | 'file' | 'page'

const MODES: { id: Mode; label: string }[] = [
  { id: 'text', label: 'Write text' },
  { id: 'file', label: 'Markdown or text file' },
  { id: 'page', label: 'Help-centre page' },
]

async function send(kbId: string, mode: Mode, form: FormData): Promise<Doc> {
  const params = { path: { id: kbId } }
  const field = (n: string) => {
    const v = form.get(n)
    return typeof v === 'string' ? v : ''
  }
  if (mode === 'file') {
    // multipart/form-data: openapi-fetch passes a FormData through and the browser sets the boundary.
    const body = new FormData()
    const file = form.get('file')
    if (file instanceof File && file.size > 0) body.set('file', file)
    return unwrap(
      await api.POST('/api/v1/knowledge-bases/{id}/documents/upload', {
        params,
        body: body as unknown as { file: string },
      }),
    )
  }
  const text = field('text')
  const title = mode === 'page' ? pageTitle(field('url'), text) : field('title')
  return unwrap(await api.POST('/api/v1/knowledge-bases/{id}/documents', { params, body: { title, text } }))
}

export function KnowledgeUpload({
  knowledgeBaseId,
  onAdded,
}: {
  knowledgeBaseId: string
  onAdded: (d: Doc) => void
}) {
  const [mode, setMode] = useState<Mode>('text')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()
  const [added, setAdded] = useState<Doc>()
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    setBusy(true)
    setError(undefined)
    try {
      const doc = await send(knowledgeBaseId, mode, new FormData(form))
      setAdded(doc)
      form.reset()
      onAdded(doc)
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
  const input = 'rounded border border-gray-300 px-3 py-2 font-normal'
  const label = 'flex flex-col gap-1 text-sm font-medium text-gray-800'
  return (
    <section className="flex flex-col gap-3" aria-label="Add knowledge" data-testid="knowledge-upload">
      <div role="radiogroup" aria-label="How to add knowledge" className="flex flex-wrap gap-2">
        {MODES.map((m) => (
          <button
            key={m.id}
            type="button"
            role="radio"
            aria-checked={mode === m.id}
            onClick={() => setMode(m.id)}
            className={`rounded border px-3 py-1 text-sm ${
              mode === m.id ? 'border-blue-700 bg-blue-50 font-medium text-blue-900' : 'border-gray-300'
            }`}
          >
            {m.label}
          </button>
        ))}
      </div>
      <form onSubmit={submit} className="flex flex-col gap-3" key={mode}>
        {mode === 'text' ? (
          <>
            <label className={label}>
              Title
              <input name="title" required maxLength={300} className={input} />
            </label>
            <label className={label}>
              Text
              <textarea name="text" required rows={6} className={input} />
            </label>
          </>
        ) : null}
        {mode === 'file' ? (
          <label className={label}>
            A .md or .txt file (up to 1 MB; its name is the title)
            <input
              name="file"
              type="file"
              accept=".md,.markdown,.txt,text/markdown,text/plain"
              required
              className={input}
            />
          </label>
        ) : null}
        {mode === 'page' ? (
          <>
            <label className={label}>
              Page address (optional; it becomes the title)
              <input name="url" type="url" placeholder="https://help.example.com/returns" className={input} />
            </label>
            <label className={label}>
              The page&apos;s text, pasted
              <textarea name="text" required rows={8} className={input} />
            </label>
          </>
        ) : null}
        {error ? <ErrorNote error={error} /> : null}
        <div className="flex items-center gap-3">
          <button
            disabled={busy}
            className="rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
          >
            {busy ? 'Adding…' : 'Add to knowledge'}
          </button>
          {added ? (
            <p role="status" className="text-sm text-green-800" data-testid="added">
              Added “{added.title}”{added.indexedAt ? ', ready to answer' : ', indexing'}.
            </p>
          ) : null}
        </div>
      </form>
    </section>
  )
}
