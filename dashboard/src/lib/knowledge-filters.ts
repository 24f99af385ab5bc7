// The knowledge settings screen's selection lives in the URL: which knowledge base, which page of
// its documents (cursor), and which document's chunks are open.
export interface KnowledgeQuery {
  kb: string | null
  cursor: string | null
  doc: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const idOf = (v: string | null) => (v && UUID.test(v) ? v : null)

/** Reads the selection from the URL; anything that is not an id is ignored. */
export function knowledgeQueryOf(params: { get(name: string): string | null }): KnowledgeQuery {
  return { kb: idOf(params.get('kb')), cursor: idOf(params.get('cursor')), doc: idOf(params.get('doc')) }
}

/** The URL of a selection (empty parts left out). */
export function knowledgeHref(q: Partial<KnowledgeQuery>): string {
  const p = new URLSearchParams()
  if (q.kb) p.set('kb', q.kb)
  if (q.kb && q.cursor) p.set('cursor', q.cursor)
  if (q.kb && q.doc) p.set('doc', q.doc)
  const s = p.toString()
  return s ? `/settings/knowledge?${s}` : '/settings/knowledge'
}
