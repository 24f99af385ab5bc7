import { describe, expect, it } from 'vitest'
import { hasDataset, loadDataset, missingDataset } from '../testing/datasets.js'
import { redactPii, type PiiKind } from './pii.js'

// False positives on real customer questions: the 13k BANKING77 questions (train and test) hold
// no personal data, so every finding is a false one. The new kinds (national ids, dates of birth,
// street addresses) and the older ones alike must find none.

describe.skipIf(!hasDataset('banking77'))('PII detectors on BANKING77', () => {
  it('no finding of any kind in 13k questions without personal data', () => {
    const d = loadDataset('banking77')
    const questions = [...d.train, ...d.val, ...d.test].map((r) => r.text)
    const found = new Map<PiiKind, string[]>()
    for (const q of questions)
      for (const f of redactPii(q).findings) found.set(f.kind, [...(found.get(f.kind) ?? []), q])
    console.log(
      `PII_FP banking77 ${questions.length} questions: ${[...found].map(([k, qs]) => `${k} ${qs.length} (${qs.slice(0, 2).join(' | ')})`).join('; ') || 'none'}`,
    )
    expect(questions.length).toBeGreaterThan(13_000)
    expect(Object.fromEntries(found)).toEqual({})
  })
})
if (!hasDataset('banking77')) console.log(missingDataset('banking77', 'PII false positives on BANKING77'))
