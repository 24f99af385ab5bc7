import { describe, expect, it } from 'vitest'
import { buildSystemPrompt } from '../prompts/system-prompt.js'
import type { ReplyStyle } from '../prompts/reply-style.js'
import { createLocalProvider } from './local-provider.js'
import { isAbstention } from './abstention.js'
import type { CompletionRequest } from './types.js'

const returns =
  'Items can be returned within 30 days of delivery if unused. Returns are free with the prepaid label from your account. Refunds are issued within 5 business days of receiving the item.'
const shipping =
  'Standard delivery takes 2 to 4 business days. Express delivery arrives the next business day.'
const provider = createLocalProvider({ minScore: 0.4 })

const ask = (
  style?: ReplyStyle,
  language = 'en',
  question = 'How do I return an item and get my refund?',
  score = 0.8,
) => {
  const req: CompletionRequest = {
    model: 'local',
    system: '',
    messages: [{ role: 'user', content: question }],
    context: {
      chunks: [
        { text: returns, score, title: 'Return policy' },
        { text: shipping, score: score / 2, title: 'Shipping' },
      ],
      tone: { greeting: 'Hi there!' },
      language,
      ...(style ? { style } : {}),
    },
  }
  return provider.complete(req).then((r) => r.text)
}
const sentences = (text: string) => text.split(/(?<=[.!?])\s+/).length

// The demo's two variants (api/src/demo/seed.ts).
const detailed: ReplyStyle = { maxSentences: 4, greeting: true, tone: 'friendly', citeSources: true }
const brief: ReplyStyle = { maxSentences: 1, greeting: false, tone: 'neutral', offerNextStep: true }

describe('the local provider honours a reply style', () => {
  it('without a style the reply is what it always was: greeting, then the answer', async () => {
    const text = await ask()
    expect(text.startsWith('Hi there! Items can be returned')).toBe(true)
    expect(text).not.toMatch(/Source|Happy to help|connect you/)
  })

  it('detailed vs brief: length, greeting, tone, the source and the next step differ', async () => {
    const d = await ask(detailed)
    const b = await ask(brief)
    console.log(`STYLE detailed: ${d}\nSTYLE brief:    ${b}`)
    expect(d.startsWith('Hi there! Happy to help!')).toBe(true)
    expect(d).toContain('Refunds are issued within 5 business days')
    expect(d).toContain('Returns are free')
    expect(d).toMatch(/\(Source: Return policy\)$/)
    expect(b.startsWith('Hi there!')).toBe(false)
    expect(b).not.toContain('Source')
    expect(b).toMatch(/I can connect you with a member of our team\.$/)
    // brief quotes one sentence of the knowledge; detailed three of it, with the words around
    expect(sentences(b)).toBe(2)
    expect(sentences(d)).toBeGreaterThanOrEqual(sentences(b) + 3)
    expect(d.length).toBeGreaterThan(b.length + 80)
    // both still answer: neither reads as an abstention
    expect(isAbstention(d, { greeting: 'Hi there!' })).toBe(false)
    expect(isAbstention(b)).toBe(false)
  })

  it('formal tone and its next step, in the conversation’s language', async () => {
    const en = await ask({ tone: 'formal', offerNextStep: true, greeting: false })
    expect(en.startsWith('Thank you for your question.')).toBe(true)
    expect(en).toMatch(/Should you require further assistance/)
    const fr = await ask({ tone: 'formal', citeSources: true, greeting: false }, 'fr-FR')
    expect(fr.startsWith('Je vous remercie de votre question.')).toBe(true)
    expect(fr).toMatch(/\(Source : Return policy\)$/)
  })

  it('leaves the “I don’t know” reply alone, but for the greeting', async () => {
    const none = await ask(detailed, 'en', 'Do you sell gift cards?', 0.2)
    const plain = await ask(undefined, 'en', 'Do you sell gift cards?', 0.2)
    expect(plain).toMatch(/^Hi there! I'm sorry, I don't have the answer/)
    expect(none).toBe(plain)
    const quiet = await ask(brief, 'en', 'Do you sell gift cards?', 0.2)
    expect(quiet).toBe(plain.replace(/^Hi there! /, ''))
  })
})

describe('a style for remote models', () => {
  it('is appended to the system prompt as instructions', () => {
    const tone = { style: 'friendly', greeting: 'Hi!', vocabulary: [], avoid: [] }
    const p = buildSystemPrompt({ tone, style: brief })
    expect(p).toMatch(/\nReply style: Answer in at most 1 sentence\. Do not greet the customer/)
    expect(p).toContain('End an answer with one short next step')
    expect(buildSystemPrompt({ tone, style: detailed })).toContain('(Source: <title>)')
    expect(buildSystemPrompt({ tone })).not.toContain('Reply style')
  })
})
