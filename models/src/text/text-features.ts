// Shared text plumbing for the model-free embedder and the intent classifier: one normaliser and
// one hash so both see the same tokens.

/** Lowercase, strip accents and punctuation, collapse whitespace. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '') // combining accents left behind by NFKD
    .toLowerCase()
    .replace(/['’`]/g, '') // "hasn't" → "hasnt" keeps contractions one token
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** Words of the normalised text. */
export function tokenize(text: string): string[] {
  const norm = normalizeText(text)
  return norm === '' ? [] : norm.split(' ')
}

// Very common English function words. They carry little topic signal, so both models weight
// them down (a fixed IDF stand-in when no corpus is available).
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then so to of in on at by for with from as is are was were be been ' +
    'being am do does did doing have has had having i me my we our you your he she it its they ' +
    'them their this that these those there here what which who whom whose when where why how ' +
    'can could should would will shall may might must not no yes please just very too also ' +
    'about into over than up down out off again any some all each more most other such own same ' +
    'im ive id youre dont cant its thats get got'
  ).split(' '),
)

/** Character n-grams of one word padded with boundary marks, for n in [minN, maxN]. */
export function charNgrams(word: string, minN: number, maxN: number): string[] {
  const padded = `<${word}>`
  const out: string[] = []
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= padded.length; i++) out.push(padded.slice(i, i + n))
  }
  return out
}

/** 32-bit FNV-1a over UTF-16 code units: fast, stable across runs and platforms. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // Final avalanche (murmur3 fmix32) so low bits used as bucket index are well mixed.
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Small deterministic PRNG (mulberry32) so training is reproducible from a seed. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Fisher–Yates shuffle in place with the given random source. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const tmp = items[i] as T
    items[i] = items[j] as T
    items[j] = tmp
  }
  return items
}

/**
 * A light suffix stripper (a tiny slice of Porter step 1): enough that "refunds", "refunded"
 * and "refunding" share one word feature, without a dictionary.
 */
export function stem(word: string): string {
  if (word.length <= 3) return word
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`
  if (word.endsWith('sses')) return word.slice(0, -2)
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3)
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2)
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1)
  return word
}
