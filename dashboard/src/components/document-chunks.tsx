'use client'
// A document's chunks as the API stored them (what retrieval searches), in order.
import { api, unwrap } from '@/lib/api'
import { fmtDateTime } from '@/lib/format'
import { useApi } from '@/lib/use-api'
import { Empty, ErrorNote, Loading } from './states'

export function DocumentChunks({ kbId, docId }: { kbId: string; docId: string }) {
  const chunks = useApi(`chunks-${docId}`, async () =>
    unwrap(
      await api.GET('/api/v1/knowledge-bases/{id}/documents/{docId}/chunks', {
        params: { path: { id: kbId, docId } },
      }),
    ),
  )
  if (chunks.state === 'loading') return <Loading what="the chunks" />
  if (chunks.state === 'error') return <ErrorNote error={chunks.error} />
  return (
    <section aria-labelledby="chunks-title" className="flex flex-col gap-2" data-testid="chunks">
      <h3 id="chunks-title" className="font-semibold">
        Chunks ({chunks.data.items.length})
      </h3>
      <p className="text-xs text-gray-700">
        {chunks.data.indexedAt
          ? `In the search index since ${fmtDateTime(chunks.data.indexedAt)}.`
          : 'Not in the search index: the agent does not answer from it.'}
      </p>
      {chunks.data.items.length === 0 ? (
        <Empty>This document has no text to chunk.</Empty>
      ) : (
        <ol className="flex flex-col gap-2">
          {chunks.data.items.map((c) => (
            <li key={c.id} className="rounded border border-gray-200 bg-gray-50 p-2 text-sm">
              <span className="mr-2 text-xs text-gray-700">#{c.ordinal + 1}</span>
              <span className="whitespace-pre-wrap">{c.text}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
