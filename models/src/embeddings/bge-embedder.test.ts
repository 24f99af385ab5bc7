import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cosine, type Embedder } from './embedder.js'
import { createBgeSmallEmbedder, hasBgeSmallModel } from './bge-embedder.js'

// The model files come from `make install` (infra/models/fetch-bge-small.sh); without them, skip loudly.
const present = hasBgeSmallModel()
if (!present)
  console.warn('bge-small embedder tests skipped: run infra/models/fetch-bge-small.sh (make install)')

const RETURNS =
  'You can return any item within 30 days of delivery for a full refund. Start a return from the Orders page, choose the item and print the prepaid label.'
const SHIPPING =
  'We ship to 40 countries. Standard delivery takes 3 to 5 business days; express takes 1 to 2. Tracking numbers are emailed when the parcel leaves our warehouse.'

describe.skipIf(!present)('createBgeSmallEmbedder', () => {
  let embedder: Embedder
  beforeAll(async () => {
    embedder = await createBgeSmallEmbedder()
  })
  afterAll(async () => embedder?.close?.())

  it('is sized, L2-normalised, deterministic and independent of batch company', async () => {
    const [a, b] = await embedder.embed(['Where is my order?', 'Where is my order?'])
    expect(embedder.dimension).toBe(384)
    expect(a).toHaveLength(384)
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5)
    expect(a).toEqual(b)
    // Padding in a batch with a longer text must not move a short text's vector.
    const [alone] = await embedder.embed(['Where is my order?'])
    const [, mixed] = await embedder.embed([RETURNS, 'Where is my order?'])
    expect(cosine(alone!, mixed!)).toBeGreaterThan(0.99999)
  })

  it('names its vector space by the model files', () => {
    expect(embedder.id).toMatch(/^bge-small-en-v1\.5-int8:[0-9a-f]{12}$/)
  })

  it('puts paraphrases with no shared words closer than unrelated questions', async () => {
    const [q, para, unrelated] = await embedder.embed([
      'I want my money back',
      'How do I get a refund?',
      'Do you have apartments with a garden for rent?',
    ])
    expect(cosine(q!, para!)).toBeGreaterThan(cosine(q!, unrelated!) + 0.3)
  })

  it('scores the returns questions against the returns document (0.83 / 0.75), the shipping one lower', async () => {
    const [returns, shipping, days, can, gift] = await embedder.embed([
      RETURNS,
      SHIPPING,
      'How many days do I have to return something I bought?',
      'Can I return an item?',
      'Do you sell gift cards?',
    ])
    expect(cosine(days!, returns!)).toBeCloseTo(0.83, 1)
    expect(cosine(can!, returns!)).toBeCloseTo(0.75, 1)
    // BGE's cosines sit in a high band (unrelated text ~0.45–0.55): what separates is the gap.
    for (const q of [days!, can!]) expect(cosine(q, returns!)).toBeGreaterThan(cosine(q, shipping!) + 0.15)
    expect(cosine(gift!, returns!)).toBeLessThan(cosine(can!, returns!) - 0.15)
  })

  it('truncates at 512 word pieces like sentence-transformers (no error, a unit vector)', async () => {
    const [long, head] = await embedder.embed(['refund '.repeat(600), 'refund '.repeat(510)])
    expect(Math.hypot(...long!)).toBeCloseTo(1, 5)
    expect(cosine(long!, head!)).toBeGreaterThan(0.99999)
  })
})

describe('createBgeSmallEmbedder without model files', () => {
  it('says where it looked and how to install', async () => {
    await expect(createBgeSmallEmbedder({ modelDir: '/nonexistent' })).rejects.toThrow(/fetch-bge-small\.sh/)
  })
})
