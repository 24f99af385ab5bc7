import { describe, expect, it } from 'vitest'
import type { GroundingCalibration } from './grounding.js'
import {
  GROUNDING_FEATURES,
  candidateChunks,
  groundingFeatures,
  phrasingTightness,
  rankCandidates,
  type CandidateEvidence,
} from './hybrid.js'
import type { LogisticModel } from './logistic.js'

const hit = (chunkId: string, documentId: string, cosine: number, phrasing = false) => ({
  chunkId,
  documentId,
  cosine,
  phrasing,
})
const evidence = (
  chunkId: string,
  documentId: string,
  semantic: number,
  phrasing: number | null,
  lexical: number,
  tightness: number | null = null,
): CandidateEvidence => ({
  chunkId,
  documentId,
  semantic,
  phrasing,
  lexical,
  tightness,
})

/** A model reading one feature: p = σ(w · (x − at)). */
const reads = (feature: (typeof GROUNDING_FEATURES)[number], w: number, at = 0): LogisticModel => {
  const weights = GROUNDING_FEATURES.map((f) => (f === feature ? w : 0))
  return {
    weights,
    bias: 0,
    mean: GROUNDING_FEATURES.map((f) => (f === feature ? at : 0)),
    scale: weights.map(() => 1),
  }
}

describe('hybrid retrieval', () => {
  const hits = [hit('a', 'A', 0.8, true), hit('a', 'A', 0.6, true), hit('b', 'B', 0.5), hit('a', 'A', 0.4)]

  it('takes the first k distinct chunks of each search as candidates', () => {
    expect(candidateChunks(hits, [{ key: 'c' }, { key: 'b' }, { key: 'd' }], 2)).toEqual(['a', 'b', 'c'])
  })

  it('computes each feature of a candidate among the others', () => {
    const all = [evidence('a', 'A', 0.4, 0.8, 0.5, 0.55), evidence('b', 'B', 0.5, null, 0.2)]
    const f = groundingFeatures(all[0]!, all, hits, 0.5)
    expect(Object.fromEntries(GROUNDING_FEATURES.map((n, i) => [n, Number(f[i]!.toFixed(3))]))).toEqual({
      semantic: 0.4,
      phrasing: 0.8,
      has_phrasing: 1,
      lexical: 0.5,
      margin: -0.1, // max(0.4, 0.5·0.8) − 0.5
      agreement: 0.3, // 3 of the first 10 hits (only 4 exist) are A's
      neighbours: 0.28, // (0.8 + 0.6) / 5
      lexical_lead: 0.3,
      tightness: 0.55,
    })
    // a chunk without two phrasings reads 0
    expect(groundingFeatures(all[1]!, all, hits, 0.5).at(-1)).toBe(0)
  })

  it("measures how alike a chunk's phrasings are: the mean cosine of every pair", () => {
    // (1,0)·(0,1) = 0, (1,0)·(1,1)/√2 = 0.707, (0,1)·(1,1)/√2 = 0.707 → 1.414 / 3
    expect(
      phrasingTightness([
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
    ).toBeCloseTo(Math.SQRT2 / 3, 9)
    expect(
      phrasingTightness([
        [3, 4],
        [6, 8],
      ]),
    ).toBeCloseTo(1, 9) // scale does not matter
    expect(phrasingTightness([[1, 0]])).toBeNull()
    expect(phrasingTightness([])).toBeNull()
  })

  it('ranks by the rank model and scores the first by the answer model of its path', () => {
    const calibration: GroundingCalibration = {
      threshold: 0.5,
      questionScale: 0.5,
      model: {
        features: [...GROUNDING_FEATURES],
        ranker: reads('lexical', 10, 0.3),
        answer: reads('phrasing', 10, 0.7),
        answerChunk: reads('semantic', 10, 0.6),
      },
    }
    const all = [evidence('a', 'A', 0.4, 0.8, 0.2), evidence('b', 'B', 0.5, null, 0.6)]
    const ranked = rankCandidates(all, hits, calibration)
    expect(ranked.map((r) => r.chunkId)).toEqual(['b', 'a'])
    // b has no phrasings: the text-only answer model reads its 0.5 against 0.6
    expect(ranked[0]!.confidence).toBeCloseTo(1 / (1 + Math.exp(1)), 6)
    expect(ranked[1]!.confidence).toBeLessThan(ranked[0]!.confidence)
    expect(rankCandidates([], [], calibration)).toEqual([])
  })

  it('falls back to the semantic score when the embedder has no fitted model', () => {
    const ranked = rankCandidates(
      [evidence('a', 'A', 0.3, 0.6, 0), evidence('b', 'B', 0.35, null, 0.9)],
      hits,
      { threshold: 0.35, questionScale: 0.778 },
    )
    expect(ranked.map((r) => [r.chunkId, Number(r.confidence.toFixed(3))])).toEqual([
      ['a', 0.467],
      ['b', 0.35],
    ])
  })
})
