import { describe, expect, it } from 'vitest'
import type { ErrorClass } from './classify.js'
import { writeIsolatingRejects } from './isolate-rejects.js'

// A store in memory that refuses a whole write when it holds a row it rejects, like ClickHouse
// refusing an insert block: only `write` is ours here, the bisection is the code under test.
function store(rejects: (n: number) => ErrorClass | null) {
  const written: number[] = []
  let writes = 0
  return {
    written,
    writes: () => writes,
    async write(items: number[]) {
      writes += 1
      const bad = items.map(rejects).find((c) => c !== null)
      if (bad) throw Object.assign(new Error(`refused (${bad})`), { cls: bad })
      written.push(...items)
    },
  }
}
const classify = (err: unknown) => (err as { cls: ErrorClass }).cls

describe('writeIsolatingRejects', () => {
  it('writes a clean batch in one write', async () => {
    const s = store(() => null)
    expect(await writeIsolatingRejects([1, 2, 3], (xs) => s.write(xs), classify)).toEqual([])
    expect(s.written).toEqual([1, 2, 3])
    expect(s.writes()).toBe(1)
  })

  it('sets aside exactly the rejected rows and writes the rest, in order', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i)
    const s = store((n) => (n === 17 || n === 640 ? 'dead_letter' : null))
    const rejected = await writeIsolatingRejects(items, (xs) => s.write(xs), classify)
    expect(rejected.map((r) => r.item)).toEqual([17, 640])
    expect((rejected[0]!.error as Error).message).toBe('refused (dead_letter)')
    expect(s.written).toEqual(items.filter((n) => n !== 17 && n !== 640))
    // 2 bad rows in 1,000: about 2·2·log2(1000) ≈ 40 writes, not 1,000.
    expect(s.writes()).toBeLessThan(45)
  })

  it('returns a lone rejected row', async () => {
    const s = store(() => 'dead_letter')
    const rejected = await writeIsolatingRejects([7], (xs) => s.write(xs), classify)
    expect(rejected.map((r) => r.item)).toEqual([7])
  })

  it('throws a retry- or crash-class error as it is, without splitting', async () => {
    for (const cls of ['retry', 'crash'] as const) {
      const s = store(() => cls)
      await expect(writeIsolatingRejects([1, 2, 3, 4], (xs) => s.write(xs), classify)).rejects.toThrow(cls)
      expect(s.writes()).toBe(1)
    }
  })

  it('throws when a half fails for another reason (the whole batch is retried later)', async () => {
    const s = store((n) => (n === 1 ? 'dead_letter' : n === 3 ? 'retry' : null))
    await expect(writeIsolatingRejects([0, 1, 2, 3], (xs) => s.write(xs), classify)).rejects.toThrow('retry')
  })
})
