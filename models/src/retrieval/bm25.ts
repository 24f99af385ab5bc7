import { lexicalTerms } from './lexical-tokens.js'

/** A text to search, and the key its hits count for (several units may share one: a chunk and its FAQ phrasings). */
export interface LexicalUnit {
  key: string
  text: string
}

export interface LexicalHit {
  key: string
  /** Okapi BM25 of the best unit of this key. */
  score: number
  /**
   * The score over the most the query's terms could earn (the sum of their IDFs, an unseen term
   * counting as the rarest): how much of the query's information this key matches, in [0, 1].
   * Comparable across knowledge bases of different sizes, unlike the raw score.
   */
  coverage: number
}

export interface Bm25Index {
  readonly units: number
  /** The `n` best keys for the query, best first; keys that share no term with it are absent. */
  search(query: string, n: number): LexicalHit[]
}

export interface Bm25Options {
  /** Term-frequency saturation (Lucene's default 1.2). */
  k1?: number
  /** Length normalisation (Lucene's default 0.75). */
  b?: number
}

interface Posting {
  unit: number
  tf: number
}

/** Okapi BM25 with Lucene's IDF, ln(1 + (N − df + 0.5) / (df + 0.5)), which never goes negative. */
export function createBm25Index(units: readonly LexicalUnit[], opts: Bm25Options = {}): Bm25Index {
  const k1 = opts.k1 ?? 1.2
  const b = opts.b ?? 0.75
  const postings = new Map<string, Posting[]>()
  const lengths = new Float64Array(units.length)
  units.forEach((u, i) => {
    const terms = lexicalTerms(u.text)
    lengths[i] = terms.length
    const tf = new Map<string, number>()
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1)
    for (const [t, n] of tf) {
      let list = postings.get(t)
      if (!list) postings.set(t, (list = []))
      list.push({ unit: i, tf: n })
    }
  })
  const n = units.length
  const avgLength = n === 0 ? 1 : Math.max(1, lengths.reduce((s, l) => s + l, 0) / n)
  const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5))

  return {
    units: n,
    search(query, limit) {
      const terms = [...new Set(lexicalTerms(query))]
      if (terms.length === 0 || n === 0) return []
      const scores = new Float64Array(n)
      let ceiling = 0
      for (const t of terms) {
        const list = postings.get(t) ?? []
        const w = idf(list.length)
        ceiling += w
        for (const p of list) {
          const norm = k1 * (1 - b + (b * (lengths[p.unit] ?? 0)) / avgLength)
          scores[p.unit]! += (w * p.tf * (k1 + 1)) / (p.tf + norm)
        }
      }
      const best = new Map<string, number>()
      scores.forEach((s, i) => {
        if (s <= 0) return
        const key = units[i]!.key
        if ((best.get(key) ?? 0) < s) best.set(key, s)
      })
      return [...best]
        .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
        .slice(0, limit)
        .map(([key, score]) => ({ key, score, coverage: Math.min(1, score / ceiling) }))
    },
  }
}
