// The knowledge-gap queue's status and page live in the URL (?status=accepted&cursor=<id>), so a
// review can be shared and reloaded as is; the query sent is exactly the API's listKnowledgeGaps.
import type { operations } from '@/api/schema'

export type GapQuery = NonNullable<operations['listKnowledgeGaps']['parameters']['query']>
export type GapStatus = NonNullable<GapQuery['status']>

export const GAP_STATUSES = ['open', 'accepted', 'rejected'] as const satisfies readonly GapStatus[]
export const GAP_PAGE = 20

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The list query the URL names; an unknown status reads as the API's default (open). */
export function gapQueryOf(params: URLSearchParams): GapQuery & { status: GapStatus } {
  const status = GAP_STATUSES.find((s) => s === params.get('status')) ?? 'open'
  const query: GapQuery & { status: GapStatus } = { status, limit: GAP_PAGE }
  const cursor = params.get('cursor')
  if (cursor && UUID.test(cursor)) query.cursor = cursor
  return query
}

/** The address of the same status at another page (no cursor: the first). */
export function gapListHref(status: GapStatus, cursor?: string | null): string {
  const qs = new URLSearchParams({ status })
  if (cursor) qs.set('cursor', cursor)
  return `/gaps?${qs.toString()}`
}
