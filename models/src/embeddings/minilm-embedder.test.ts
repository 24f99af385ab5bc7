import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cosine, type Embedder } from './embedder.js'
import { createMiniLmEmbedder, hasMiniLmModel } from './minilm-embedder.js'

// The model files come from `make install` (infra/models/fetch-minilm.sh); without them, skip loudly.
const present = hasMiniLmModel()
if (!present) console.warn('MiniLM embedder tests skipped: run infra/models/fetch-minilm.sh (make install)')

const RETURNS =
  'You can return any item within 30 days of delivery for a full refund. Start a return from the Orders page, choose the item and print the prepaid label.'
const SHIPPING =
  'We ship to 40 countries. Standard delivery takes 3 to 5 business days; express takes 1 to 2. Tracking numbers are emailed when the parcel leaves our warehouse.'

describe.skipIf(!present)('createMiniLmEmbedder', () => {
  let embedder: Embedder
  beforeAll(async () => {
    embedder = await createMiniLmEmbedder()
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
    expect(embedder.id).toMatch(/^minilm-l6-v2-int8:[0-9a-f]{12}$/)
  })

  it('puts paraphrases with no shared words closer than unrelated questions', async () => {
    const [q, para, unrelated] = await embedder.embed([
      'I want my money back',
      'How do I get a refund?',
      'Do you have apartments with a garden for rent?',
    ])
    expect(cosine(q!, para!)).toBeGreaterThan(cosine(q!, unrelated!) + 0.3)
  })

  it('scores the returns questions against the returns document (issue numbers: 0.64 / 0.63)', async () => {
    const [returns, shipping, days, can, gift] = await embedder.embed([
      RETURNS,
      SHIPPING,
      'How many days do I have to return something I bought?',
      'Can I return an item?',
      'Do you sell gift cards?',
    ])
    expect(cosine(days!, returns!)).toBeCloseTo(0.64, 1)
    expect(cosine(can!, returns!)).toBeCloseTo(0.63, 1)
    for (const q of [days!, can!]) expect(cosine(q, returns!)).toBeGreaterThan(cosine(q, shipping!) + 0.2)
    // Above the placeholder threshold for the returns questions, below it for an unrelated one.
    expect(cosine(days!, returns!)).toBeGreaterThan(embedder.grounding.threshold)
    expect(cosine(gift!, returns!)).toBeLessThan(embedder.grounding.threshold)
  })

  it('truncates at 256 word pieces like sentence-transformers (no error, a unit vector)', async () => {
    const [long, head] = await embedder.embed(['refund '.repeat(600), 'refund '.repeat(254)])
    expect(Math.hypot(...long!)).toBeCloseTo(1, 5)
    expect(cosine(long!, head!)).toBeGreaterThan(0.99999)
  })
})

describe('createMiniLmEmbedder without model files', () => {
  it('says where it looked and how to install', async () => {
    await expect(createMiniLmEmbedder({ modelDir: '/nonexistent' })).rejects.toThrow(/fetch-minilm\.sh/)
  })
})
