import type { GroundingCalibration } from './grounding.js'
import { predictLogistic } from './logistic.js'

/** One vector the semantic search returned: a chunk's own text, or one of its FAQ phrasings. */
export interface SemanticHit {
  chunkId: string
  documentId: string
  phrasing: boolean
  cosine: number
}

/** What retrieval knows of one candidate chunk, from both searches. */
export interface CandidateEvidence {
  chunkId: string
  documentId: string
  /** Cosine of the question with the chunk's text (as indexed: title + text). */
  semantic: number
  /** Best cosine of the question with one of the chunk's FAQ phrasings; null when it has none. */
  phrasing: number | null
  /** BM25 coverage of the question by the chunk or its phrasings, in [0, 1] (0: no shared term). */
  lexical: number
  /**
   * How alike the chunk's FAQ phrasings are to one another (`phrasingTightness`); null with fewer
   * than two. The same best-phrasing cosine means more for an entry asked in one narrow way than
   * for one asked in many: without it, an out-of-scope question that happens to share a few words
   * with a loose entry's phrasing reads as a match (ADR 0015).
   */
  tightness: number | null
}

/** The features both models read, in this order (the calibration files name them too). */
export const GROUNDING_FEATURES = [
  'semantic',
  'phrasing',
  'has_phrasing',
  'lexical',
  'margin',
  'agreement',
  'neighbours',
  'lexical_lead',
  'tightness',
] as const

export interface RankedCandidate extends CandidateEvidence {
  /**
   * How confident retrieval is that this chunk answers the question, in [0, 1]. The first
   * candidate's is the calibrated answerability; the others', scaled by their rank model's odds
   * relative to the first. Without a fitted model: the semantic score (cosine, phrasing scaled).
   */
  confidence: number
  features: number[]
}

/** Hits counted by `agreement`; phrasing hits counted by `neighbours`. */
const AGREEMENT_HITS = 10
const NEIGHBOUR_HITS = 5

/** The semantic score one number can rank by: the chunk's cosine, or a phrasing's, scaled (ADR 0007). */
export const semanticScore = (c: CandidateEvidence, questionScale: number): number =>
  Math.max(c.semantic, c.phrasing === null ? 0 : questionScale * c.phrasing)

/** The chunks worth scoring: the first `k` distinct chunks of each search, semantic first. */
export function candidateChunks(
  hits: readonly SemanticHit[],
  lexical: readonly { key: string }[],
  k: number,
): string[] {
  const semantic: string[] = []
  for (const h of hits) {
    if (semantic.length >= k) break
    if (!semantic.includes(h.chunkId)) semantic.push(h.chunkId)
  }
  return [...new Set([...semantic, ...lexical.slice(0, k).map((h) => h.key)])]
}

/** The feature vector of one candidate among the others (GROUNDING_FEATURES' order). */
export function groundingFeatures(
  c: CandidateEvidence,
  all: readonly CandidateEvidence[],
  hits: readonly SemanticHit[],
  questionScale: number,
): number[] {
  const others = all.filter((o) => o.documentId !== c.documentId)
  const bestOther = (f: (o: CandidateEvidence) => number) => Math.max(0, ...others.map(f))
  const top = hits.slice(0, AGREEMENT_HITS)
  const phrasings = hits.filter((h) => h.phrasing).slice(0, NEIGHBOUR_HITS)
  return [
    c.semantic,
    c.phrasing ?? 0,
    c.phrasing === null ? 0 : 1,
    c.lexical,
    semanticScore(c, questionScale) - bestOther((o) => semanticScore(o, questionScale)),
    top.length === 0 ? 0 : top.filter((h) => h.documentId === c.documentId).length / AGREEMENT_HITS,
    phrasings.length === 0 ? 0 : phrasings.reduce((s, h) => s + h.cosine, 0) / NEIGHBOUR_HITS,
    c.lexical - bestOther((o) => o.lexical),
    c.tightness ?? 0,
  ]
}

/**
 * The mean cosine between every two of a chunk's phrasing vectors; null with fewer than two. One
 * definition for the knowledge index and the calibration's simulation, so both read alike.
 */
export function phrasingTightness(vectors: readonly ArrayLike<number>[]): number | null {
  if (vectors.length < 2) return null
  const norm = (v: ArrayLike<number>) => {
    let s = 0
    for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!
    return Math.sqrt(s)
  }
  const norms = vectors.map(norm)
  let sum = 0
  let pairs = 0
  for (let a = 0; a < vectors.length; a++)
    for (let b = a + 1; b < vectors.length; b++) {
      const x = vectors[a]!
      const y = vectors[b]!
      let dot = 0
      for (let i = 0; i < x.length; i++) dot += x[i]! * y[i]!
      const n = norms[a]! * norms[b]!
      sum += n === 0 ? 0 : dot / n
      pairs++
    }
  return sum / pairs
}

/**
 * Fuses the two searches: each candidate is ranked by the calibrated rank model and the first
 * one's answerability is the confidence the reply is grounded on. Without a model (an embedder
 * nobody calibrated) the semantic score ranks, and lexical-only candidates follow.
 */
export function rankCandidates(
  candidates: readonly CandidateEvidence[],
  hits: readonly SemanticHit[],
  grounding: GroundingCalibration,
): RankedCandidate[] {
  const scale = grounding.questionScale
  const withFeatures = candidates.map((c) => ({
    ...c,
    features: groundingFeatures(c, candidates, hits, scale),
  }))
  const model = grounding.model
  if (!model) {
    return withFeatures
      .map((c) => ({ ...c, confidence: semanticScore(c, scale) }))
      .sort((a, b) => b.confidence - a.confidence || b.lexical - a.lexical)
  }
  const ranked = withFeatures
    .map((c) => ({ ...c, rank: predictLogistic(model.ranker, c.features) }))
    .sort((a, b) => b.rank - a.rank)
  const first = ranked[0]
  if (!first) return []
  const answerable = predictLogistic(
    first.phrasing === null ? model.answerChunk : model.answer,
    first.features,
  )
  return ranked.map(({ rank, ...c }) => ({ ...c, confidence: (answerable * rank) / first.rank }))
}
