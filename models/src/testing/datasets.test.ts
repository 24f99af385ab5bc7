import { describe, expect, it } from 'vitest'
import { hasDataset, loadDataset, missingDataset, splitIntents } from './datasets.js'

describe('the evaluation data sets', () => {
  it.skipIf(!hasDataset('banking77'))('BANKING77: 77 intents, a tenth of train held out as val', () => {
    const d = loadDataset('banking77')
    expect(d.intents).toHaveLength(77)
    expect(d.train.length + d.val.length).toBe(10_003)
    expect(d.test).toHaveLength(3_080)
    expect(new Set(d.val.map((r) => r.intent)).size).toBe(77)
    const trainTexts = new Set(d.train.map((r) => r.text))
    expect(d.val.filter((r) => trainTexts.has(r.text)).length).toBeLessThan(5) // duplicates in the source only
  })

  it.skipIf(!hasDataset('clinc150'))('CLINC150 open: 120 intents, train/val/test and out-of-scope', () => {
    const d = loadDataset('clinc150')
    expect(d.intents).toHaveLength(120)
    expect([d.train.length, d.val.length, d.test.length]).toEqual([12_000, 2_400, 3_600])
    expect([d.outOfScope.train.length, d.outOfScope.val.length, d.outOfScope.test.length]).toEqual([
      100, 100, 1_000,
    ])
    expect(d.test.every((r) => d.intents.includes(r.intent))).toBe(true)
  })

  it('splits intents deterministically, evenly spaced', () => {
    const intents = Array.from({ length: 9 }, (_, i) => `i${i}`)
    expect(splitIntents(intents, 3)).toEqual({
      known: ['i0', 'i2', 'i3', 'i5', 'i6', 'i8'],
      missing: ['i1', 'i4', 'i7'],
    })
    expect(missingDataset('banking77', 'x')).toMatch(/x skipped: .*banking77 is absent/)
  })
})
