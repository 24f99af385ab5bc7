import type { GroundingCalibration } from '../retrieval/grounding.js'
import { shippedCalibration } from './calibrations.js'
import type { Embedder } from './embedder.js'
import { STOPWORDS, charNgrams, fnv1a, stem, tokenize } from '../text/text-features.js'

export interface LocalEmbedderOptions {
  /** Number of hash buckets; 512 keeps collisions rare for chat-length texts. */
  dimension?: number
  /** Feature family weights; the defaults were tuned on BANKING77 retrieval (see README). */
  weights?: Partial<FeatureWeights>
}

export interface FeatureWeights {
  word: number
  bigram: number
  char: number
  /** Multiplier for stopwords: a fixed stand-in for IDF when there is no corpus. */
  stopword: number
}

// Relative weights of the feature families. Words carry the topic, bigrams the phrasing and char
// n-grams make typos and inflections ("refund"/"refunded") land close. Chosen by eye on the tests
// in local-embedder.test.ts: at 0.25 a one-letter typo ("trak") fell to 0.13 cosine, at 0.4 it is
// 0.43 while unrelated questions stay under 0.1.
export const DEFAULT_WEIGHTS: FeatureWeights = { word: 1, bigram: 0.7, char: 0.4, stopword: 0.15 }

/** Features of one text before hashing: key → [term frequency, family weight]. */
export function textFeatures(
  text: string,
  w: FeatureWeights = DEFAULT_WEIGHTS,
): Map<string, [number, number]> {
  const counts = new Map<string, [number, number]>()
  const add = (key: string, w: number): void => {
    const seen = counts.get(key)
    if (seen) seen[0] += 1
    else counts.set(key, [1, w])
  }
  // Redaction placeholders say nothing about the topic; "[EMAIL]" must not match docs about email.
  const words = tokenize(text.replace(/\[(?:EMAIL|PHONE|CARD|IBAN)\]/g, ' '))
  const stems = words.map(stem)
  words.forEach((word, i) => {
    const stop = STOPWORDS.has(word)
    add(`w:${stems[i]}`, w.word * (stop ? w.stopword : 1))
    const next = words[i + 1]
    if (next !== undefined) {
      const bothStop = stop && STOPWORDS.has(next)
      add(`b:${stems[i]} ${stems[i + 1]}`, w.bigram * (bothStop ? w.stopword : 1))
    }
    if (!stop) for (const g of charNgrams(word, 3, 5)) add(`c:${g}`, w.char)
  })
  return counts
}

/** Hash a text to an L2-normalised vector with sublinear tf and signed buckets. */
export function embedText(
  text: string,
  dimension: number,
  weights: FeatureWeights = DEFAULT_WEIGHTS,
): number[] {
  const vec = new Array<number>(dimension).fill(0)
  for (const [key, [tf, weight]] of textFeatures(text, weights)) {
    const h = fnv1a(key)
    // Sign from a high bit so collisions cancel on average instead of piling up.
    const sign = h & 0x80000000 ? -1 : 1
    const idx = h % dimension
    // Sublinear tf: a word said five times is not five times as relevant.
    vec[idx] = (vec[idx] as number) + sign * weight * (1 + Math.log(tf))
  }
  let norm = 0
  for (const v of vec) norm += v * v
  if (norm === 0) return vec
  const inv = 1 / Math.sqrt(norm)
  return vec.map((v) => v * inv)
}

/** Fitted on BANKING77 + CLINC150 train/val (embeddings/grounding/hashing.json). */
export const HASHING_GROUNDING: GroundingCalibration = shippedCalibration('hashing')

/** A deterministic, model-free embedder: the same text always gives the same vector. */
export function createLocalEmbedder(opts: LocalEmbedderOptions = {}): Embedder {
  const dimension = opts.dimension ?? 512
  if (!Number.isInteger(dimension) || dimension < 16) throw new Error('dimension must be an integer ≥ 16')
  const weights = { ...DEFAULT_WEIGHTS, ...opts.weights }
  return {
    id: `local-hash-v1-${dimension}`,
    dimension,
    grounding: HASHING_GROUNDING,
    embed: async (texts) => texts.map((t) => embedText(t, dimension, weights)),
  }
}
