import { describe, expect, it } from 'vitest'
import { inSample, parseVerdict, transcript } from './verified-resolution.js'

describe('verified resolution helpers', () => {
  it('parses the judge', () => {
    expect(parseVerdict('VERDICT: YES\nREASON: The refund steps answered the question.')).toEqual({
      verified: true,
      reason: 'The refund steps answered the question.',
    })
    expect(parseVerdict('verdict: no\nreason: asked for a human')).toEqual({
      verified: false,
      reason: 'asked for a human',
    })
    expect(parseVerdict('I think it went fine')).toBeNull()
  })
  it('samples deterministically at about the rate', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `conv-${i}`)
    const picked = ids.filter((id) => inSample(id, 0.25)).length / ids.length
    expect(picked).toBeGreaterThan(0.22)
    expect(picked).toBeLessThan(0.28)
    expect(ids.filter((id) => inSample(id, 0.25))).toEqual(ids.filter((id) => inSample(id, 0.25)))
    expect(ids.every((id) => inSample(id, 1))).toBe(true)
  })
  it('labels the transcript', () => {
    expect(
      transcript([
        { role: 'customer', text: 'hi' },
        { role: 'agent', text: 'hello' },
      ]),
    ).toBe('Customer: hi\nAssistant: hello')
  })
})
