import { describe, expect, it } from 'vitest'
import { replySignals } from './definitions.js'
import { textSimilarity } from './learning-signals.job.js'
import type { ConvEvent } from './conversation-events.js'

const at = Date.parse('2026-11-01T10:00:00Z')
const event = (type: string, offsetMs: number, payload: Record<string, unknown>) =>
  ({ type, occurredAt: at + offsetMs, payload }) as unknown as ConvEvent

describe('learning signals: rephrase similarity', () => {
  const vectors = new Map([
    ['where is my parcel', [1, 0]],
    ['my parcel has not arrived', [0.8, 0.6]],
  ])

  it('is the cosine of two embedded texts', () => {
    expect(textSimilarity(vectors)('where is my parcel', 'my parcel has not arrived')).toBeCloseTo(0.8, 10)
  })

  it('is 0, not an error, for a reply whose question is not in ClickHouse yet', () => {
    // The reply points at a message this batch does not hold: its question reads ''.
    const events = [
      event('reply.sent', 0, { messageId: 'r1', replyToId: 'm-missing', grounded: false }),
      event('message.received', 60_000, { messageId: 'm2', text: 'my parcel has not arrived' }),
    ]
    const [signal] = replySignals(events, at + 120_000, textSimilarity(vectors))
    expect(signal).toMatchObject({ question: '', rephrase: false })
  })
})
