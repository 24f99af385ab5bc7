// The knowledge bases and questions the grounding calibration fits on (train) and chooses on (val).
// Test splits are never read here. Per data set:
//   third-missing ×3: a third of the intents missing (each third in turn), the rest as FAQ entries
//     (faqDocument: a templated answer + FAQ_PHRASINGS real train phrasings) — the flywheel's shape;
//   answers-only: the first of those without phrasings (plain documents: the chunk path alone);
//   small ×2: five intents, with 3 and with 10 phrasings (margins and agreement read differently
//     when the knowledge is small).
// Questions: "in" = an intent the knowledge has (other train rows to fit, val rows to choose);
// "near" = an intent it lacks (same domain: what a knowledge gap looks like); "far" = CLINC150's
// out-of-scope queries (BANKING77 has none); "other" (val only, the flywheel's shape) = the other
// data set's val questions, a second and larger out-of-scope check: CLINC150's 100 out-of-scope val
// queries are easier than its 1,000 test ones (ADR 0015), and BANKING77 has none of its own.
import { FAQ_PHRASINGS, faqDocument, type Labelled, type LabelledDataset } from '@luneo/models/testing'
import type { KbDocument } from './simulate.js'

export type ProbeKind = 'in' | 'near' | 'far' | 'other'

export interface Probe {
  text: string
  /** The intent asked about; null for out-of-scope queries. */
  intent: string | null
  kind: ProbeKind
}

export interface Scenario {
  dataset: string
  name: string
  /** The flywheel's shape (a third missing, FAQ entries): the val curve is reported on these. */
  flywheelShape: boolean
  docs: KbDocument[]
  fit: Probe[]
  val: Probe[]
}

/** Fit questions per intent (train rows after the ones the FAQ quotes). */
const FIT_PER_INTENT = 40
const SMALL_KB = 5
/** The other data set's val questions asked of each flywheel-shaped knowledge base. */
export const OTHER_PER_SCENARIO = 300

/** `n` rows spread evenly over the list (file order: deterministic). */
const spread = <T>(rows: readonly T[], n: number): T[] => {
  const step = Math.max(1, Math.floor(rows.length / n))
  return rows.filter((_, i) => i % step === 0).slice(0, n)
}

const rowsOf = (rows: readonly Labelled[], intent: string) => rows.filter((r) => r.intent === intent)

function probes(
  ds: LabelledDataset,
  known: string[],
  missing: string[],
  phrasings: number,
  perMissing: number,
) {
  const fitIn = known.flatMap((i) => rowsOf(ds.train, i).slice(phrasings, phrasings + FIT_PER_INTENT))
  const fitNear = missing.flatMap((i) => rowsOf(ds.train, i).slice(0, perMissing))
  const valNear = missing.flatMap((i) => rowsOf(ds.val, i).slice(0, perMissing))
  const as = (kind: ProbeKind) => (r: Labelled) => ({ text: r.text, intent: r.intent, kind })
  const far = (texts: string[]) => texts.map((text) => ({ text, intent: null, kind: 'far' as const }))
  return {
    fit: [...fitIn.map(as('in')), ...fitNear.map(as('near')), ...far(ds.outOfScope.train)],
    val: [
      ...known.flatMap((i) => rowsOf(ds.val, i)).map(as('in')),
      ...valNear.map(as('near')),
      ...far(ds.outOfScope.val),
    ],
  }
}

const docsOf = (ds: LabelledDataset, intents: string[], phrasings: number): KbDocument[] =>
  intents.map((intent) => ({ intent, ...faqDocument(intent, ds.train, phrasings) }))

/** Every calibration scenario of one data set; `other`, a data set from another domain. */
export function scenariosOf(ds: LabelledDataset, other?: LabelledDataset): Scenario[] {
  const others: Probe[] = other
    ? spread(other.val, OTHER_PER_SCENARIO).map((r) => ({ text: r.text, intent: null, kind: 'other' }))
    : []
  const sorted = [...ds.intents].sort()
  const out: Scenario[] = []
  for (const r of [0, 1, 2]) {
    const missing = sorted.filter((_, i) => i % 3 === r)
    const known = sorted.filter((_, i) => i % 3 !== r)
    const p = probes(ds, known, missing, FAQ_PHRASINGS, FIT_PER_INTENT)
    out.push({
      dataset: ds.name,
      name: `third-missing-${r}`,
      flywheelShape: true,
      docs: docsOf(ds, known, FAQ_PHRASINGS),
      fit: p.fit,
      val: [...p.val, ...others],
    })
    if (r === 0)
      out.push({
        dataset: ds.name,
        name: 'answers-only',
        flywheelShape: false,
        docs: docsOf(ds, known, 0),
        ...probes(ds, known, missing, 0, FIT_PER_INTENT),
      })
  }
  for (const [s, phrasings] of [3, 10].entries()) {
    const step = Math.floor(sorted.length / SMALL_KB)
    const known = Array.from({ length: SMALL_KB }, (_, i) => sorted[i * step + s]!)
    const others = sorted.filter((i) => !known.includes(i))
    const missing = others.filter((_, i) => i % Math.ceil(others.length / 15) === 0)
    const p = probes(ds, known, missing, phrasings, 10)
    out.push({
      dataset: ds.name,
      name: `small-${phrasings}`,
      flywheelShape: false,
      docs: docsOf(ds, known, phrasings),
      ...p,
    })
  }
  return out
}
