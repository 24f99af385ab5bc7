// The failed questions a knowledge base missing a third of a data set's intents would collect
// (docs/adr/0016): every question of a missing intent fails, plus a few sporadic failures of known
// intents (a wrong or missing retrieval) and, on CLINC150, out-of-scope questions. Used to choose
// the clustering parameters on train/val (bench/src/tune-gaps.ts) and to report them on test
// (pipelines/src/jobs/gap-quality.int.test.ts). Deterministic: the same split gives the same set.
import { createRng } from '@luneo/models'
import { splitIntents, type LabelledDataset } from '@luneo/models/testing'

export interface ScenarioQuestion {
  text: string
  /** The true intent; out-of-scope questions get a label of their own (`oos:<n>`): no topic. */
  intent: string
}

export interface GapScenario {
  questions: ScenarioQuestion[]
  /** The intents the knowledge misses: what the top gaps should be. */
  missing: string[]
}

export interface ScenarioOptions {
  split: 'train' | 'val' | 'test'
  /** Failed questions per missing intent. */
  perMissing: number
  /** Failed questions per known intent (sporadic failures: noise). */
  perKnown: number
  /** Out-of-scope questions (CLINC150 only). */
  outOfScope: number
  /** Rows of each intent skipped first (disjoint samples of a large split). */
  offset?: number
  /**
   * Wraps this share of questions in greetings, openers and sign-offs as customers write them
   * ("Quick question: …", "… Thanks!"), seeded: the data sets have none.
   */
  fillerShare?: number
}

/** A third of the intents missing, as in the flywheel tests. */
export const missingIntents = (data: LabelledDataset) =>
  splitIntents(data.intents, Math.round(data.intents.length / 3))

const OPENERS = [
  'Hi, ',
  'Hello! ',
  'Quick question: ',
  'Hey — ',
  'Hi there, quick question: ',
  'Good morning, ',
]
const CLOSERS = ['', ' Thanks!', ' Thank you', ' Thanks in advance :)', ' Cheers']

/** The scenario's failed questions (missing intents first, then noise), in a fixed order. */
export function failedQuestionScenario(data: LabelledDataset, o: ScenarioOptions): GapScenario {
  const { known, missing } = missingIntents(data)
  const rows = data[o.split]
  const offset = o.offset ?? 0
  const take = (intent: string, n: number) =>
    rows.filter((r) => r.intent === intent).slice(offset, offset + n)
  const questions: ScenarioQuestion[] = [
    ...missing.flatMap((i) => take(i, o.perMissing)),
    ...known.flatMap((i) => take(i, o.perKnown)),
    ...data.outOfScope[o.split]
      .slice(offset, offset + o.outOfScope)
      .map((text, n) => ({ text, intent: `oos:${offset + n}` })),
  ]
  const share = o.fillerShare ?? 0
  if (share === 0) return { questions, missing }
  const rnd = createRng(7 + offset)
  const wrapped = questions.map((q) => {
    if (rnd() >= share) return q
    const opener = OPENERS[Math.floor(rnd() * OPENERS.length)]!
    const closer = CLOSERS[Math.floor(rnd() * CLOSERS.length)]!
    return { ...q, text: `${opener}${q.text.charAt(0).toLowerCase()}${q.text.slice(1)}${closer}` }
  })
  return { questions: wrapped, missing }
}
