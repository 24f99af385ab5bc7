import type { SelectQueryBuilder } from 'kysely'

export interface PageRequest {
  limit: number
  /** The id of the last item of the previous page. Ids are UUIDv7, so id order is creation order. */
  cursor?: string | undefined
}

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/** Applies keyset pagination (newest first) on a table whose ids are UUIDv7. */
export async function paginate<DB, TB extends keyof DB, O extends { id: string }>(
  query: SelectQueryBuilder<DB, TB, O>,
  idColumn: string,
  page: PageRequest,
): Promise<Page<O>> {
  let q = query.orderBy(idColumn as any, 'desc').limit(page.limit + 1)
  if (page.cursor) q = q.where(idColumn as any, '<', page.cursor)
  const rows = await q.execute()
  const items = rows.slice(0, page.limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > page.limit && last ? last.id : null }
}
