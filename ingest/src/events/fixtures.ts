import { randomUUID } from 'node:crypto'
import type { EventPayload, EventType } from './catalogue.js'

// One realistic payload per event type, as the engine writes them (texts already redacted).
// Used by the PII scan, the fault tests and the benchmarks; the test in fixtures.test.ts checks
// that every catalogued type has one.

type Fixtures = { [T in EventType]: (n: number) => EventPayload<T> }

const customerTexts = [
  'Where is my order? My email is [EMAIL] and my phone [PHONE].',
  'I paid with card [CARD] but the charge shows twice.',
  'Can I change the delivery address for order 88123?',
  'Do you ship to Portugal, and how long does it take?',
]

/** Payload builders keyed by type; `n` varies the values. */
export const payloadFixtures: Fixtures = {
  'organization.created': () => ({ name: 'Acme Shop', vertical: 'ecommerce' }),
  'agent.created': () => ({ name: 'Support agent', vertical: 'ecommerce' }),
  'conversation.started': (n) => ({ channel: n % 3 === 0 ? 'email' : 'widget', hasContact: n % 2 === 0 }),
  'message.received': (n) => ({
    messageId: randomUUID(),
    channel: 'widget',
    text: customerTexts[n % customerTexts.length]!,
    piiRedacted: n % 4 === 0 ? 2 : 0,
  }),
  'reply.sent': (n) => ({
    messageId: randomUUID(),
    replyToId: randomUUID(),
    intent: ['order_status', 'refund', 'shipping', 'other'][n % 4]!,
    intentConfidence: 0.5 + (n % 50) / 100,
    grounded: n % 5 !== 0,
    topScore: (n % 100) / 100,
    retrievalScores: [(n % 100) / 100, (n % 80) / 100],
    sourceDocumentIds: [randomUUID()],
    experimentId: n % 2 === 0 ? randomUUID() : null,
    variantId: n % 2 === 0 ? randomUUID() : null,
    provider: 'local',
    model: 'local-deterministic',
    fallback: false,
    promptTokens: 300 + (n % 200),
    completionTokens: 40 + (n % 60),
    costUsd: 0.0004 + (n % 10) / 10000,
    latencyMs: 120 + (n % 400),
    escalated: n % 17 === 0,
  }),
  'conversation.escalated': () => ({ reason: 'low_confidence', messageId: randomUUID() }),
  'contact.erased': (n) => ({ erasureRequestId: randomUUID(), conversations: n % 3, messages: (n % 3) * 4 }),
  'action.executed': (n) => ({
    action: 'order_lookup',
    ok: n % 9 !== 0,
    needsInput: false,
    messageId: randomUUID(),
  }),
  'feedback.submitted': (n) => ({
    feedbackId: randomUUID(),
    rating: n % 4 === 0 ? 'negative' : 'positive',
    csat: n % 3 === 0 ? null : 1 + (n % 5),
  }),
  'outcome.recorded': (n) => ({
    outcomeId: randomUUID(),
    type: n % 2 === 0 ? 'resolved' : 'purchase',
    amount: n % 2 === 0 ? null : 19.9 + (n % 10),
    currency: n % 2 === 0 ? null : 'EUR',
  }),
}
