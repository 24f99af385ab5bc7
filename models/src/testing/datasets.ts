// The public evaluation sets beside the repository (../shared/datasets, read in place, never
// copied): BANKING77 (77 banking intents) and the open part of CLINC150 (120 intents in 8 domains
// plus out-of-scope queries). Choose thresholds and weights on train/val, report on test.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseCsv } from '../intents/csv.js'

/** ../shared/datasets beside the repository root. */
export const DATASETS_DIR = resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'datasets')

export type DatasetName = 'banking77' | 'clinc150'

export interface Labelled {
  text: string
  intent: string
}

export interface LabelledDataset {
  name: DatasetName
  intents: string[]
  train: Labelled[]
  /** Tuning split. BANKING77 has none: a deterministic tenth of each intent's train rows. */
  val: Labelled[]
  test: Labelled[]
  /** Questions no intent answers (CLINC150's out-of-scope set); empty for BANKING77. */
  outOfScope: { train: string[]; val: string[]; test: string[] }
}

const folder: Record<DatasetName, string> = { banking77: 'banking77', clinc150: 'clinc150-open' }

/** Whether the data set is beside the repository (tests skip with a message when it is not). */
export function hasDataset(name: DatasetName): boolean {
  return existsSync(join(DATASETS_DIR, folder[name], 'train.csv'))
}

/** The line a test prints when it skips for want of the data set. */
export const missingDataset = (name: DatasetName, what: string) =>
  `${what} skipped: ${join(DATASETS_DIR, folder[name])} is absent`

function rows(file: string): string[][] {
  return parseCsv(readFileSync(file, 'utf8')).slice(1)
}

const labelled = (file: string): Labelled[] =>
  rows(file)
    .filter((r) => r.length >= 2)
    .map(([text = '', intent = '']) => ({ text, intent }))

/** Every `every`-th row of each intent (in file order) goes to the second list. */
function holdOut(all: Labelled[], every: number): [Labelled[], Labelled[]] {
  const seen = new Map<string, number>()
  const keep: Labelled[] = []
  const out: Labelled[] = []
  for (const r of all) {
    const n = seen.get(r.intent) ?? 0
    seen.set(r.intent, n + 1)
    ;(n % every === every - 1 ? out : keep).push(r)
  }
  return [keep, out]
}

export function loadDataset(name: DatasetName): LabelledDataset {
  const dir = join(DATASETS_DIR, folder[name])
  if (name === 'banking77') {
    const intents = JSON.parse(readFileSync(join(dir, 'categories.json'), 'utf8')) as string[]
    const [train, val] = holdOut(labelled(join(dir, 'train.csv')), 10)
    const outOfScope = { train: [], val: [], test: [] }
    return { name, intents, train, val, test: labelled(join(dir, 'test.csv')), outOfScope }
  }
  const domains = JSON.parse(readFileSync(join(dir, 'domains.json'), 'utf8')) as Record<string, string[]>
  const oos = (split: string) => rows(join(dir, `oos_${split}.csv`)).map(([text = '']) => text)
  return {
    name,
    intents: Object.values(domains).flat().sort(),
    train: labelled(join(dir, 'train.csv')),
    val: labelled(join(dir, 'val.csv')),
    test: labelled(join(dir, 'test.csv')),
    outOfScope: { train: oos('train'), val: oos('val'), test: oos('test') },
  }
}

/**
 * Splits intents deterministically into what the knowledge covers and what it misses: `missing`
 * evenly spaced intents of the sorted list (a third, in the flywheel tests).
 */
export function splitIntents(intents: string[], missing: number): { known: string[]; missing: string[] } {
  const sorted = [...intents].sort()
  const step = sorted.length / missing
  const out = new Set(Array.from({ length: missing }, (_, i) => sorted[Math.floor(i * step + step / 2)]!))
  return { known: sorted.filter((i) => !out.has(i)), missing: [...out] }
}
