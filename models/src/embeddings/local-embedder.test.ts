import { describe, expect, it } from 'vitest'
import { cosine } from './embedder.js'
import { createLocalEmbedder } from './local-embedder.js'

describe('createLocalEmbedder', () => {
  const embedder = createLocalEmbedder()

  it('is deterministic, sized and L2-normalised', async () => {
    const [a, b] = await embedder.embed(['Where is my order?', 'Where is my order?'])
    expect(a).toHaveLength(512)
    expect(a).toEqual(b)
    const norm = Math.sqrt(a!.reduce((s, v) => s + v * v, 0))
    expect(norm).toBeCloseTo(1, 6)
  })

  it('puts paraphrases close and unrelated questions far apart', async () => {
    const [q, para, unrelated, typo] = await embedder.embed([
      'How can I track my order?',
      'Can I track the order I placed?',
      'Do you have apartments with a garden for rent?',
      'how can i trak my orders',
    ])
    const similar = cosine(q!, para!)
    const far = cosine(q!, unrelated!)
    expect(similar).toBeGreaterThan(0.5)
    expect(cosine(q!, typo!)).toBeGreaterThan(0.35)
    expect(far).toBeLessThan(0.15)
  })

  it('ignores case, accents and punctuation', async () => {
    const [a, b] = await embedder.embed(['Café réservation!!', 'cafe reservation'])
    expect(cosine(a!, b!)).toBeCloseTo(1, 6)
  })

  it('returns a zero vector for empty text and honours dimension', async () => {
    const small = createLocalEmbedder({ dimension: 64 })
    const [v] = await small.embed(['  ?! '])
    expect(v).toHaveLength(64)
    expect(v!.every((x) => x === 0)).toBe(true)
    expect(() => createLocalEmbedder({ dimension: 3 })).toThrow()
  })
})

describe('cosine', () => {
  it('handles zero vectors and rejects mismatched sizes', () => {
    expect(cosine([0, 0], [1, 0])).toBe(0)
    expect(cosine([1, 0], [1, 0])).toBe(1)
    expect(() => cosine([1], [1, 2])).toThrow()
  })
})
