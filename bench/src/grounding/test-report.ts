// The flywheel test's knowledge base (api/src/flywheel.int.test.ts: splitIntents with a third
// missing, FAQ entries of the known intents) asked its TEST questions: the offline mirror of what
// the test measures through the API. Used only by `calibrate-grounding.ts --write --report-test`,
// after the calibration is written. `other`: a third of another data set's test questions, asked
// as out-of-scope ones (what the val's "other" column predicts).
import { FAQ_PHRASINGS, faqDocument, splitIntents, type LabelledDataset } from '@luneo/models/testing'
import type { Probe, Scenario } from './scenarios.js'

export function testScenario(ds: LabelledDataset, other?: LabelledDataset): Scenario {
  const { known, missing } = splitIntents(ds.intents, Math.round(ds.intents.length / 3))
  const rows = (intents: string[], kind: 'in' | 'near'): Probe[] =>
    ds.test.filter((r) => intents.includes(r.intent)).map((r) => ({ text: r.text, intent: r.intent, kind }))
  return {
    dataset: ds.name,
    name: `test, ${missing.length} of ${ds.intents.length} intents missing`,
    flywheelShape: true,
    docs: known.map((intent) => ({ intent, ...faqDocument(intent, ds.train, FAQ_PHRASINGS) })),
    fit: [],
    val: [
      ...rows(known, 'in'),
      ...rows(missing, 'near'),
      ...ds.outOfScope.test.map((text) => ({ text, intent: null, kind: 'far' as const })),
      ...(other?.test ?? [])
        .filter((_, i) => i % 3 === 0)
        .map((r) => ({ text: r.text, intent: null, kind: 'other' as const })),
    ],
  }
}
