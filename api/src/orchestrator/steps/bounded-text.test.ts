import { buildEvent } from '@luneo/ingest'
import { createRng, loadTemplates, redactPii } from '@luneo/models'
import { newId } from '@luneo/warehouse'
import { describe, expect, it } from 'vitest'
import { NewMessage } from '../../schemas/engine.js'
import { WidgetMessage } from '../../widget/schemas.js'
import { cleanText } from '../normalize.js'
import { MAX_REDACTED_CHARS, boundRedacted, screen } from './screen.js'

// A schema-valid message once crashed the turn with a 500 after the LLM was paid: text capped at
// 4,000 before PII redaction, redaction lengthening it ("a@b.co" → "[EMAIL]"), and the
// message.received event refusing more than 4,000. Property: any text the API and the widget
// accept yields a message.received event that validates.

const template = loadTemplates().get('ecommerce')!
const PIECES = [
  'a@b.co', // 6 chars → [EMAIL] (7)
  'x@y.io',
  '+33612345678',
  '06 12 34 56 78',
  '4111 1111 1111 1111',
  'FR7630006000011234567890189',
  'john at gmail dot com',
  'where is my order?',
  ' ',
  '\n',
  '[',
  'é',
  '😀',
]

/** A text the schemas accept: pieces glued up to 4,000 characters, mostly near the limit. */
function generate(rnd: () => number): string {
  const limit = rnd() < 0.7 ? 3_990 + Math.floor(rnd() * 11) : Math.floor(rnd() * 4_000)
  // half the texts mostly short emails: the mix where redaction lengthens the text most
  const emails = rnd() < 0.5
  let t = ''
  while (t.length < limit) {
    const p =
      emails && rnd() < 0.9 ? PIECES[Math.floor(rnd() * 2)]! : PIECES[Math.floor(rnd() * PIECES.length)]!
    t += p + (rnd() < 0.8 ? ' ' : '')
  }
  return t.slice(0, limit)
}

const ctx = { organizationId: newId(), vertical: 'ecommerce', correlationId: 'c' }

describe('customer text stays within what events accept, after redaction', () => {
  it('500 generated schema-valid texts: every message.received event validates', () => {
    const rnd = createRng(9457)
    let lengthened = 0
    for (let i = 0; i < 500; i++) {
      const raw = generate(rnd)
      // the API's and the widget's schemas accept the same texts; the turn sees them cleaned
      const api = NewMessage.safeParse({ text: raw })
      expect(WidgetMessage.safeParse({ text: raw }).success).toBe(api.success)
      if (!api.success) continue
      const text = cleanText(api.data.text)
      if (redactPii(text).text.length > MAX_REDACTED_CHARS) lengthened++
      const s = screen(text, template)
      expect(() =>
        buildEvent('message.received', ctx, {
          messageId: newId(),
          channel: 'widget',
          text: s.redacted.text,
          piiRedacted: s.redacted.findings.length,
        }),
      ).not.toThrow()
    }
    // the generator does reach the case that crashed (redaction past the limit)
    expect(lengthened).toBeGreaterThan(50)
  })

  it('the worst case: 4,000 characters of short emails', () => {
    const text = 'a@b.co '.repeat(572).slice(0, 4_000)
    const s = screen(cleanText(text), template)
    expect(s.redacted.text.length).toBeLessThanOrEqual(MAX_REDACTED_CHARS)
    expect(s.redacted.text.endsWith('[EMAIL]')).toBe(true)
  })

  it('never cuts inside a placeholder', () => {
    const r = boundRedacted({ text: 'ab [EMAIL] cd [EMAIL]', findings: [] }, 17)
    expect(r.text).toBe('ab [EMAIL] cd')
    // the customer's own brackets are words, kept
    expect(boundRedacted({ text: 'a [b] c', findings: [] }, 4).text).toBe('a [b')
  })
})
