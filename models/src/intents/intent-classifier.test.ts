import { describe, expect, it } from 'vitest'
import { loadIntentClassifier, trainIntentClassifier, type IntentExample } from './intent-classifier.js'
import { expectedCalibrationError, fitTemperature } from './calibration.js'

const toy: IntentExample[] = [
  ...[
    'where is my order',
    'track my package',
    'has my parcel shipped',
    'when will my order arrive',
    'order status please',
    'my delivery is late',
  ].map((text) => ({ text, intent: 'order_status' })),
  ...[
    'i want a refund',
    'give me my money back',
    'how do i return this item',
    'refund my purchase',
    'can i send it back',
    'return policy',
  ].map((text) => ({ text, intent: 'refund' })),
  ...[
    'talk to a human',
    'i want a real person',
    'connect me to an agent',
    'speak with someone',
    'human please',
    'let me talk to support staff',
  ].map((text) => ({ text, intent: 'human_handoff' })),
]

describe('trainIntentClassifier (toy data)', () => {
  const clf = trainIntentClassifier(toy)

  it('learns the intents and ranks all of them', () => {
    expect(clf.intents).toEqual(['human_handoff', 'order_status', 'refund'])
    const p = clf.predict('Where is my parcel? It has not arrived')
    expect(p.intent).toBe('order_status')
    expect(p.ranking).toHaveLength(3)
    expect(p.ranking[0]?.intent).toBe('order_status')
    expect(p.ranking.reduce((s, r) => s + r.score, 0)).toBeCloseTo(1, 6)
    expect(clf.predict('I would like my money refunded').intent).toBe('refund')
    expect(clf.predict('can I speak to a person?').intent).toBe('human_handoff')
  })

  it('is less confident on gibberish than on a clear question', () => {
    expect(clf.predict('zzqx blorp').confidence).toBeLessThan(clf.predict('track my order').confidence)
  })

  it('is deterministic for a given seed', () => {
    const again = trainIntentClassifier(toy)
    expect(again.predict('refund please').ranking).toEqual(clf.predict('refund please').ranking)
  })

  it('round-trips through JSON', () => {
    const json = JSON.parse(JSON.stringify(clf.toJSON()))
    const loaded = loadIntentClassifier(json)
    for (const t of ['where is my order', 'money back', 'agent please']) {
      expect(loaded.predict(t)).toEqual(clf.predict(t))
    }
    expect(() => loadIntentClassifier({ ...json, format: 'other' })).toThrow()
  })

  it('rejects empty training data', () => {
    expect(() => trainIntentClassifier([])).toThrow()
  })
})

describe('calibration helpers', () => {
  it('fits T > 1 for over-confident logits and T < 1 for under-confident ones', () => {
    // Correct half the time with huge margins: over-confident.
    const over = [Float64Array.from([10, 0]), Float64Array.from([10, 0])]
    expect(fitTemperature(over, [0, 1])).toBeGreaterThan(5)
    const under = [Float64Array.from([0.1, 0]), Float64Array.from([0, 0.1])]
    expect(fitTemperature(under, [0, 1])).toBeLessThan(0.2)
  })

  it('computes expected calibration error', () => {
    expect(expectedCalibrationError([0.9, 0.9], [true, true])).toBeCloseTo(0.1, 6)
    expect(expectedCalibrationError([0.5, 0.5], [true, false])).toBeCloseTo(0, 6)
  })
})
