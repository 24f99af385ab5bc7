import { charNgrams, stem, tokenize } from '../text/text-features.js'

/** How texts become sparse vectors; stored with the model so predict sees what training saw. */
export interface FeatureConfig {
  /** Character n-gram range inside word boundaries (sklearn's `char_wb`). */
  charMin: number
  charMax: number
  /** Features seen in fewer training texts are dropped: they cannot generalise and bloat the model. */
  minDf: number
  /** Weight of the word block against the char block after each is L2-normalised. */
  wordWeight: number
  charWeight: number
}

export const DEFAULT_FEATURES: FeatureConfig = {
  charMin: 2,
  charMax: 5,
  minDf: 2,
  wordWeight: 1,
  charWeight: 1,
}

/** A sparse vector: parallel arrays of feature indices and values. */
export interface SparseVector {
  idx: Int32Array
  val: Float32Array
}

/** Raw feature keys of a text with term counts. Keys are prefixed by block: `w:` words, `c:` chars. */
export function featureCounts(text: string, cfg: FeatureConfig): Map<string, number> {
  const counts = new Map<string, number>()
  const add = (k: string): void => {
    counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  const words = tokenize(text)
  const stems = words.map(stem)
  // Sentence boundary marks let bigrams capture "how do…" openers vs "…declined" endings.
  const seq = ['^', ...stems, '$']
  for (let i = 0; i < stems.length; i++) add(`w:${stems[i]}`)
  for (let i = 0; i + 1 < seq.length; i++) add(`w:${seq[i]} ${seq[i + 1]}`)
  for (const word of words) for (const g of charNgrams(word, cfg.charMin, cfg.charMax)) add(`c:${g}`)
  return counts
}

/** Learned vocabulary and IDF; turns texts into TF-IDF vectors with per-block L2 norm. */
export interface Vectorizer {
  readonly config: FeatureConfig
  readonly vocab: readonly string[]
  readonly idf: Float32Array
  transform(text: string): SparseVector
}

/** Learn vocabulary and smoothed IDF (sklearn's formula) from the training texts. */
export function fitVectorizer(texts: readonly string[], cfg: FeatureConfig): Vectorizer {
  const df = new Map<string, number>()
  for (const text of texts)
    for (const key of featureCounts(text, cfg).keys()) df.set(key, (df.get(key) ?? 0) + 1)
  const vocab = [...df.entries()]
    .filter(([, n]) => n >= cfg.minDf)
    .map(([k]) => k)
    .sort()
  const n = texts.length
  const idf = Float32Array.from(vocab, (k) => Math.log((1 + n) / (1 + (df.get(k) ?? 0))) + 1)
  return createVectorizer(cfg, vocab, idf)
}

/** Rebuild a vectorizer from stored vocabulary and IDF. */
export function createVectorizer(
  cfg: FeatureConfig,
  vocab: readonly string[],
  idf: Float32Array,
): Vectorizer {
  const index = new Map<string, number>(vocab.map((k, i) => [k, i]))
  return {
    config: cfg,
    vocab,
    idf,
    transform(text) {
      const word: [number, number][] = []
      const char: [number, number][] = []
      for (const [key, tf] of featureCounts(text, cfg)) {
        const i = index.get(key)
        if (i === undefined) continue
        // Sublinear tf: repeating a word should not dominate the vector.
        const v = (1 + Math.log(tf)) * (idf[i] as number)
        ;(key.startsWith('w:') ? word : char).push([i, v])
      }
      return toSparse([...scaled(word, cfg.wordWeight), ...scaled(char, cfg.charWeight)])
    },
  }
}

function scaled(entries: [number, number][], weight: number): [number, number][] {
  let norm = 0
  for (const [, v] of entries) norm += v * v
  if (norm === 0) return entries
  const k = weight / Math.sqrt(norm)
  return entries.map(([i, v]) => [i, v * k])
}

function toSparse(entries: [number, number][]): SparseVector {
  return { idx: Int32Array.from(entries, (e) => e[0]), val: Float32Array.from(entries, (e) => e[1]) }
}
