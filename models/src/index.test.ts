import { describe, expect, it } from 'vitest'
import * as models from '@luneo/models'
import { startFakeOpenAI } from '@luneo/models/testing'

// Goes through the package front door, the way api/ and pipelines/ will.
describe('@luneo/models front door', () => {
  it('runs one turn end to end with the local stack', async () => {
    const template = models.getTemplate('ecommerce')
    const classifier = models.trainIntentClassifier(models.templateExamples(template), {
      features: { minDf: 1 },
    })
    const question = 'How long do refunds take? Reach me at ana@example.com'
    const safe = models.redactPii(question)
    expect(safe.text).toContain('[EMAIL]')
    expect(models.detectPromptInjection(safe.text).flagged).toBe(false)
    const intent = classifier.predict(safe.text)
    expect(intent.intent).toBe('refund_status')

    const embedder = models.createLocalEmbedder()
    const docs = template.defaultKnowledge
    const [q, ...vecs] = await embedder.embed([safe.text, ...docs.map((d) => `${d.title}. ${d.text}`)])
    const chunks = docs
      .map((d, i) => ({ title: d.title, text: d.text, score: models.cosine(q!, vecs[i]!) }))
      .sort((a, b) => b.score - a.score)
    // Chunk-level hashing similarity is noisy on long texts; the provider re-ranks sentences.
    expect(chunks.slice(0, 2).map((c) => c.title)).toContain('Return policy')

    const system = models.buildSystemPrompt({
      tone: template.tone,
      intent: intent.intent,
      businessName: 'Shop',
    })
    const reply = await models.createLocalProvider({ minScore: 0.1 }).complete({
      model: 'local-extractive-v1',
      system,
      messages: [{ role: 'user', content: safe.text }],
      context: { chunks, tone: template.tone, intent: intent.intent },
    })
    expect(reply.grounded).toBe(true)
    expect(reply.text).toContain('Refunds are issued')
    expect(models.costUsd(reply.model, reply.usage)).toBe(0)
  })

  it('exposes the fake OpenAI server from ./testing', async () => {
    const fake = await startFakeOpenAI()
    try {
      const p = models.createOpenAIProvider({ baseURL: fake.baseURL, apiKey: 'k', maxRetries: 0 })
      const r = await p.complete({
        model: 'gpt-4o-mini',
        system: 's',
        messages: [{ role: 'user', content: 'hi' }],
        context: { chunks: [] },
      })
      expect(r.text).toBe('Fake answer to: hi')
      expect(r.grounded).toBe(false)
    } finally {
      await fake.close()
    }
  })
})
