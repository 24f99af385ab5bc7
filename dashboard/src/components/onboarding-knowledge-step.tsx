'use client'
// Wizard step 2: the owner's own knowledge into the agent's first knowledge base, and a plain note
// that the template's example documents stay unused until confirmed (Settings → Knowledge bases).
import Link from 'next/link'
import { useState } from 'react'
import { api, unwrap, type Schemas } from '@/lib/api'
import { useApi } from '@/lib/use-api'
import { KnowledgeUpload } from './knowledge-upload'
import { Empty, ErrorNote, Loading } from './states'

type Doc = Schemas['Document']

export function OnboardingKnowledgeStep({ kbId, mayWrite }: { kbId: string; mayWrite: boolean }) {
  const docs = useApi(`docs-${kbId}`, async () =>
    unwrap(
      await api.GET('/api/v1/knowledge-bases/{id}/documents', {
        params: { path: { id: kbId }, query: { limit: 200 } },
      }),
    ),
  )
  const [added, setAdded] = useState<Doc[]>([])
  if (docs.state === 'loading') return <Loading what="your knowledge" />
  if (docs.state === 'error') return <ErrorNote error={docs.error} />
  const unconfirmed = docs.data.items.filter((d) => !d.confirmedAt).length
  const own = [...added, ...docs.data.items.filter((d) => d.confirmedAt && !added.some((a) => a.id === d.id))]
  return (
    <div className="flex flex-col gap-4">
      {unconfirmed > 0 ? (
        <p
          className="rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950"
          data-testid="unconfirmed-note"
        >
          The template came with {unconfirmed} example document{unconfirmed > 1 ? 's' : ''} (returns,
          shipping…). They are examples, not your policies: your agent does not use them until you confirm or
          edit each one in{' '}
          <Link className="underline" href={`/settings/knowledge?kb=${kbId}`}>
            Settings → Knowledge bases
          </Link>
          .
        </p>
      ) : null}
      {mayWrite ? (
        <KnowledgeUpload knowledgeBaseId={kbId} onAdded={(d) => setAdded((a) => [d, ...a])} />
      ) : (
        <p className="text-sm text-gray-700">Adding knowledge needs the admin role or higher.</p>
      )}
      <section aria-labelledby="own-knowledge">
        <h2 id="own-knowledge" className="mb-2 text-lg font-semibold">
          Your agent answers from
        </h2>
        {own.length === 0 ? (
          <Empty>Nothing of yours yet: add a page, a file or a few paragraphs above.</Empty>
        ) : (
          <ul className="list-disc pl-5" data-testid="own-documents">
            {own.map((d) => (
              <li key={d.id}>{d.title}</li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}
