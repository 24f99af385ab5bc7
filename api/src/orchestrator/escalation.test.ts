import { describe, expect, it } from 'vitest'
import { asksForHuman, decideEscalation, type EscalationInput } from './escalation.js'

const base: EscalationInput = {
  asked: false,
  unansweredStreak: 0,
  negativeSentiment: false,
  safetyHit: false,
  actionFailed: false,
  maxUnansweredTurns: 2,
  escalateOnNegativeSentiment: true,
}

describe('decideEscalation', () => {
  it('hands off on each trigger, and not otherwise', () => {
    expect(decideEscalation(base)).toBeNull()
    expect(decideEscalation({ ...base, unansweredStreak: 1 })).toBeNull()
    expect(decideEscalation({ ...base, unansweredStreak: 2 })).toBe('low_confidence')
    expect(decideEscalation({ ...base, asked: true })).toBe('asked')
    expect(decideEscalation({ ...base, negativeSentiment: true })).toBe('sentiment')
    expect(
      decideEscalation({ ...base, negativeSentiment: true, escalateOnNegativeSentiment: false }),
    ).toBeNull()
    expect(decideEscalation({ ...base, actionFailed: true })).toBe('action_failure')
  })
  it('a safety hit wins over everything else', () => {
    expect(decideEscalation({ ...base, safetyHit: true, asked: true, unansweredStreak: 5 })).toBe('safety')
  })
})

describe('asksForHuman', () => {
  it('recognises explicit requests', () => {
    for (const t of [
      'Can I talk to a human?',
      'let me speak with someone please',
      'I want a real person',
      'get me your manager',
    ])
      expect(asksForHuman(t), t).toBe(true)
    for (const t of ['Where is my order?', 'How do refunds work?']) expect(asksForHuman(t), t).toBe(false)
  })
})
