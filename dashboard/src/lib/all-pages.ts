/** A page of a list as the API answers it: follow `nextCursor` until it is null. */
export interface PageOf<T> {
  items: T[]
  nextCursor: string | null
}

/**
 * Every item of a cursor-paged list (settings lists are short: agents, keys, members), so a
 * screen never shows the first page as if it were all of them.
 */
export async function allPages<T>(load: (cursor: string | undefined) => Promise<PageOf<T>>): Promise<T[]> {
  const items: T[] = []
  let cursor: string | undefined
  do {
    const page = await load(cursor)
    items.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return items
}
