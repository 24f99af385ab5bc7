import { describe, expect, it } from 'vitest'
import { createBgeSmallEmbedder, hasBgeSmallModel } from '../embeddings/bge-embedder.js'
import type { Embedder } from '../embeddings/embedder.js'
import { createLocalEmbedder } from '../embeddings/local-embedder.js'
import { splitSentences } from '../text/sentences.js'
import { createLocalProvider } from './local-provider.js'
import type { CompletionRequest } from './types.js'

const returnPolicy =
  'Items can be returned within 30 days of delivery if unused. Returns are free with the prepaid label from your account. Refunds are issued within 5 business days of receiving the item.'
const shipping =
  'Standard delivery takes 2 to 4 business days. Express delivery arrives the next business day.'

const request = (
  question: string,
  chunks: CompletionRequest['context']['chunks'],
  extra: Partial<CompletionRequest> = {},
): CompletionRequest => ({
  model: 'local-extractive-v1',
  system: 'You are helpful.',
  messages: [{ role: 'user', content: question }],
  context: { chunks, tone: { greeting: 'Hi there!' } },
  ...extra,
})

describe('createLocalProvider', () => {
  const provider = createLocalProvider({ minScore: 0.4 })

  it('answers from the most relevant sentences, with the greeting on the first turn', async () => {
    const r = await provider.complete(
      request('How long do refunds take?', [
        { text: returnPolicy, score: 0.8, title: 'Return policy' },
        { text: shipping, score: 0.45 },
      ]),
    )
    expect(r.grounded).toBe(true)
    expect(r.text.startsWith('Hi there!')).toBe(true)
    expect(r.text).toContain('Refunds are issued within 5 business days')
    expect(r.text).not.toContain('Express delivery')
    expect(r.provider).toBe('local')
    expect(r.usage.promptTokens).toBeGreaterThan(20)
    expect(r.usage.completionTokens).toBeGreaterThan(5)
  })

  it('says it does not know and offers a human below minScore', async () => {
    const r = await provider.complete(request('Do you sell gift cards?', [{ text: shipping, score: 0.2 }]))
    expect(r.grounded).toBe(false)
    expect(r.text).toMatch(/don't have the answer/)
    expect(r.text).toMatch(/member of our team/)
    expect((await provider.complete(request('Anything?', []))).grounded).toBe(false)
  })

  it('skips the greeting after the first turn and speaks the conversation language', async () => {
    const r = await provider.complete(
      request('Et la livraison ?', [], {
        messages: [
          { role: 'user', content: 'Bonjour' },
          { role: 'assistant', content: 'Bonjour !' },
          { role: 'user', content: 'Et la livraison ?' },
        ],
        context: { chunks: [], tone: { greeting: 'Hi there!' }, language: 'fr-FR' },
      }),
    )
    expect(r.text.startsWith('Hi there!')).toBe(false)
    expect(r.text).toContain('Désolé')
  })

  it('is deterministic', async () => {
    const req = request('How do I return an item?', [{ text: returnPolicy, score: 0.7 }])
    expect(await provider.complete(req)).toEqual(await provider.complete(req))
  })
})

describe('splitSentences', () => {
  it('splits on sentence ends but not inside numbers', () => {
    expect(splitSentences('It costs 4.90 today. Free above 60! Ok?')).toEqual([
      'It costs 4.90 today.',
      'Free above 60!',
      'Ok?',
    ])
  })
})

describe.skipIf(!hasBgeSmallModel())('createLocalProvider with the retrieval embedder', () => {
  it('picks the sentence that answers by meaning, not by shared words', async () => {
    const embedder = await createBgeSmallEmbedder()
    try {
      const provider = createLocalProvider({ minScore: 0.4, embedder, maxSentences: 1 })
      const policy =
        'You can return any item within 30 days of delivery for a full refund. Start a return from the Orders page, choose the item and print the prepaid label.'
      const r = await provider.complete(
        request('How many days do I have to send something back?', [{ text: policy, score: 0.8 }]),
      )
      expect(r.text).toBe('Hi there! You can return any item within 30 days of delivery for a full refund.')
    } finally {
      await embedder.close?.()
    }
  })
})

describe('createLocalProvider sentence vectors', () => {
  // Counts what reaches the embedder: the hashing embedder underneath, so answers are real.
  const counting = () => {
    const inner = createLocalEmbedder()
    const asked: string[][] = []
    const embedder: Embedder = {
      ...inner,
      embed: async (texts) => (asked.push([...texts]), inner.embed(texts)),
    }
    return { embedder, asked }
  }
  const chunks = [
    { text: returnPolicy, score: 0.8, title: 'Return policy' },
    { text: shipping, score: 0.45 },
  ]

  it('embeds the knowledge sentences once, then only each new question, with the same answers', async () => {
    const { embedder, asked } = counting()
    const provider = createLocalProvider({ minScore: 0.4, embedder })
    const uncached = createLocalProvider({ minScore: 0.4, embedder, sentenceCache: 0 })
    const first = await provider.complete(request('How long do refunds take?', chunks))
    const sentences = [...splitSentences(returnPolicy), ...splitSentences(shipping)]
    expect(asked).toEqual([['How long do refunds take?', ...sentences]])
    const second = await provider.complete(request('When does express delivery arrive?', chunks))
    expect(asked[1]).toEqual(['When does express delivery arrive?'])
    expect(second.text).toContain('Express delivery arrives the next business day')
    // The same replies as a provider that keeps nothing (it embeds every sentence every time).
    expect((await uncached.complete(request('How long do refunds take?', chunks))).text).toBe(first.text)
    expect((await uncached.complete(request('When does express delivery arrive?', chunks))).text).toBe(
      second.text,
    )
    expect(asked[3]).toEqual(['When does express delivery arrive?', ...sentences])
  })

  it("uses retrieval's vector of the question when it is in the provider's embedder's space", async () => {
    const { embedder, asked } = counting()
    const provider = createLocalProvider({ minScore: 0.4, embedder })
    const question = 'How long do refunds take?'
    const [vector] = await createLocalEmbedder().embed([question])
    const withVector = (embedderId: string): CompletionRequest => {
      const r = request(question, chunks)
      return { ...r, context: { ...r.context, questionVector: { embedder: embedderId, vector: vector! } } }
    }
    const reused = await provider.complete(withVector(embedder.id))
    expect(asked).toEqual([[...splitSentences(returnPolicy), ...splitSentences(shipping)]])
    expect(reused.text).toContain('Refunds are issued within 5 business days')
    // Another embedder's vector is another space: the question is embedded again.
    await provider.complete(withVector('some-other-embedder'))
    expect(asked[1]).toEqual([question])
    // Sentences all kept and the question's vector given: no call at all.
    await provider.complete(withVector(embedder.id))
    expect(asked).toHaveLength(2)
  })

  it('keeps at most sentenceCache sentences, the least recently used leaving first', async () => {
    const { embedder, asked } = counting()
    const provider = createLocalProvider({ minScore: 0.4, embedder, sentenceCache: 3 })
    const one = (text: string) => [{ text, score: 0.8 }]
    await provider.complete(request('Refunds?', one(returnPolicy))) // its 3 sentences kept
    await provider.complete(request('Delivery?', one(shipping))) // 2 more: the 2 oldest leave
    await provider.complete(request('Refunds again?', one(returnPolicy)))
    const [a, b, c] = splitSentences(returnPolicy)
    expect(asked[2]).toEqual(['Refunds again?', a, b])
    expect(asked[2]).not.toContain(c)
  })
})
