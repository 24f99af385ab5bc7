import { describe, expect, it } from 'vitest'
import { allPages } from './all-pages'

describe('allPages', () => {
  it('follows nextCursor until the last page, keeping the API’s order', async () => {
    const pages: Record<string, { items: number[]; nextCursor: string | null }> = {
      first: { items: [1, 2], nextCursor: 'b' },
      b: { items: [3, 4], nextCursor: 'c' },
      c: { items: [5], nextCursor: null },
    }
    const asked: (string | undefined)[] = []
    const items = await allPages(async (cursor) => {
      asked.push(cursor)
      return pages[cursor ?? 'first']!
    })
    expect(items).toEqual([1, 2, 3, 4, 5])
    expect(asked).toEqual([undefined, 'b', 'c'])
  })

  it('answers an empty list with one call', async () => {
    let calls = 0
    expect(await allPages(async () => (calls++, { items: [], nextCursor: null }))).toEqual([])
    expect(calls).toBe(1)
  })
})
