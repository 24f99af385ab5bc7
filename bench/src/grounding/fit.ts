// The two fits and the curve (bench/src/calibrate-grounding.ts runs them): the rank model on the
// candidates of in-knowledge fit questions (label: the chunk is the asked intent's), then the
// answer model on every fit question's first candidate (label: the knowledge has the intent).
import {
  GROUNDING_FEATURES,
  fitLogistic,
  groundingFeatures,
  predictLogistic,
  rankCandidates,
  semanticScore,
  type CandidateEvidence,
  type GroundingCalibration,
  type HybridModel,
  type LogisticModel,
  type SemanticHit,
} from '@luneo/models'
import type { Probe, ProbeKind } from './scenarios.js'

/** One question asked of one simulated knowledge base, with what retrieval found. */
export interface Asked {
  dataset: string
  scenario: string
  flywheelShape: boolean
  probe: Probe
  hits: SemanticHit[]
  candidates: CandidateEvidence[]
  /** Intent of each candidate chunk. */
  intentOf: Map<string, string>
}

const isRight = (a: Asked, chunkId: string) =>
  a.probe.intent !== null && a.intentOf.get(chunkId) === a.probe.intent

/** The rank model: which candidate is the answer, fitted on questions the knowledge has. */
export function fitRanker(fit: Asked[], questionScale: number): LogisticModel {
  const x: number[][] = []
  const y: number[] = []
  for (const a of fit.filter((f) => f.probe.kind === 'in'))
    for (const c of a.candidates) {
      x.push(groundingFeatures(c, a.candidates, a.hits, questionScale))
      y.push(isRight(a, c.chunkId) ? 1 : 0)
    }
  return fitLogistic(x, y)
}

/**
 * Row weights of the answer model, per data set: in-knowledge questions 0.5 in all, out-of-scope
 * ones (far) 0.5, questions of a missing intent (near) NEAR_WEIGHT. Near is not separable from
 * in-knowledge at the in-knowledge bar (BANKING77 val: no threshold answers ≥ 0.9 of in-knowledge
 * questions and ≤ 0.5 of missing-intent ones), and weighing it more moves the decision off the
 * out-of-scope boundary, which is separable (CLINC150 val out-of-scope answered at in-knowledge
 * ≥ 0.92: 0.093 with 0.1, 0.14 with 0.2, 0.157 with 0.3, 0.20 with 0.5). It keeps a small weight
 * so that margin and agreement still count.
 */
export const NEAR_WEIGHT = 0.1

function answerWeights(fit: Asked[]): number[] {
  const count = new Map<string, number>()
  const key = (a: Asked) => `${a.dataset}/${a.probe.kind}`
  for (const a of fit) count.set(key(a), (count.get(key(a)) ?? 0) + 1)
  const total: Record<ProbeKind, number> = { in: 0.5, far: 0.5, near: NEAR_WEIGHT, other: 0 }
  return fit.map((a) => total[a.probe.kind] / count.get(key(a))!)
}

/**
 * The text-only path reads the chunk's cosine and its lexical coverage alone: on val they separate
 * as well as all eight features do (CLINC150, text-only knowledge), and margin and agreement read
 * differently in a knowledge base of one or two documents, which no calibration set has.
 */
export const CHUNK_PATH_FEATURES = ['semantic', 'lexical'] as const

/**
 * The text-only path's own point. Text alone rarely tells neighbours apart, so success is the
 * right source answered (not any answer) against questions the knowledge lacks left unanswered,
 * missing intents and out-of-scope queries weighing half each: the best balanced accuracy, then the
 * lowest threshold within one standard error of it (leaning towards answering). BANKING77's
 * text-only knowledge tells its intents apart at no threshold (its answers are one template in
 * one domain, and it has no out-of-scope queries), so the caller passes CLINC150's.
 */
export function chunkPathThreshold(points: CurvePoint[]): number {
  const scored = points.map((p) => {
    const out = (1 - p.nearAnswered + (1 - p.farAnswered)) / 2
    const balanced = (p.inRight + out) / 2
    const varOut =
      (p.nearAnswered * (1 - p.nearAnswered)) / p.n.near / 4 +
      (p.farAnswered * (1 - p.farAnswered)) / p.n.far / 4
    const se = Math.sqrt((p.inRight * (1 - p.inRight)) / p.n.in + varOut) / 2
    return { t: p.threshold, balanced, se }
  })
  const best = scored.reduce((b, s) => (s.balanced > b.balanced ? s : b))
  return Math.min(...scored.filter((s) => s.balanced >= best.balanced - best.se).map((s) => s.t))
}

/** The answer model of one path: fitted on the questions whose first candidate is on that path. */
export function fitAnswer(
  fit: Asked[],
  ranker: LogisticModel,
  questionScale: number,
  phrasingPath: boolean,
  only?: readonly string[],
): LogisticModel {
  const weights = answerWeights(fit)
  const keep = GROUNDING_FEATURES.map((f) => !only || only.includes(f))
  const rows = fit.flatMap((a, i) => {
    const feats = a.candidates.map((c) => ({
      c,
      f: groundingFeatures(c, a.candidates, a.hits, questionScale),
    }))
    const first = feats.reduce((b, x) =>
      predictLogistic(ranker, x.f) > predictLogistic(ranker, b.f) ? x : b,
    )
    if ((first.c.phrasing !== null) !== phrasingPath) return []
    return [{ x: first.f.map((v, j) => (keep[j] ? v : 0)), y: a.probe.kind === 'in' ? 1 : 0, w: weights[i]! }]
  })
  return fitLogistic(
    rows.map((r) => r.x),
    rows.map((r) => r.y),
    { rowWeights: rows.map((r) => r.w) },
  )
}

export const hybridModel = (
  ranker: LogisticModel,
  answer: LogisticModel,
  answerChunk: LogisticModel,
): HybridModel => ({
  features: [...GROUNDING_FEATURES],
  ranker,
  answer,
  answerChunk,
})

/** Each question's first source and its confidence, as the index would return them. */
export function decide(asked: Asked[], grounding: GroundingCalibration) {
  return asked.map((a) => {
    const first = rankCandidates(a.candidates, a.hits, grounding)[0]
    return { a, confidence: first?.confidence ?? 0, right: first ? isRight(a, first.chunkId) : false }
  })
}

export interface CurvePoint {
  threshold: number
  /** In-knowledge questions answered (grounded), and answered from their own intent's entry. */
  inAnswered: number
  inRight: number
  /** Questions of a missing intent answered, out-of-scope ones answered (NaN when none). */
  nearAnswered: number
  farAnswered: number
  /** The other data set's questions answered (NaN when none asked). */
  otherAnswered: number
  n: { in: number; near: number; far: number; other: number }
}

export function curvePoint(decided: ReturnType<typeof decide>, threshold: number): CurvePoint {
  const of = (k: ProbeKind) => decided.filter((d) => d.a.probe.kind === k)
  const rate = (xs: typeof decided, f: (d: (typeof decided)[0]) => boolean) =>
    xs.length === 0 ? Number.NaN : xs.filter(f).length / xs.length
  const answered = (d: (typeof decided)[0]) => d.confidence >= threshold
  return {
    threshold,
    inAnswered: rate(of('in'), answered),
    inRight: rate(of('in'), (d) => answered(d) && d.right),
    nearAnswered: rate(of('near'), answered),
    farAnswered: rate(of('far'), answered),
    otherAnswered: rate(of('other'), answered),
    n: { in: of('in').length, near: of('near').length, far: of('far').length, other: of('other').length },
  }
}

/** Top-1 accuracy of an ordering of the candidates on in-knowledge questions (fusion choices). */
export function top1(asked: Asked[], order: (a: Asked) => CandidateEvidence[]): number {
  const ins = asked.filter((a) => a.probe.kind === 'in')
  return (
    ins.filter((a) => {
      const first = order(a)[0]
      return first !== undefined && isRight(a, first.chunkId)
    }).length / Math.max(1, ins.length)
  )
}

/** Reciprocal rank fusion (k = 60, Cormack et al. 2009) of the semantic and the lexical order. */
export function rrfOrder(a: Asked, questionScale: number): CandidateEvidence[] {
  const rankBy = (f: (c: CandidateEvidence) => number) =>
    new Map([...a.candidates].sort((x, y) => f(y) - f(x)).map((c, i) => [c.chunkId, i + 1]))
  const sem = rankBy((c) => semanticScore(c, questionScale))
  const lex = rankBy((c) => c.lexical)
  const rrf = (c: CandidateEvidence) =>
    1 / (60 + sem.get(c.chunkId)!) + (c.lexical > 0 ? 1 / (60 + lex.get(c.chunkId)!) : 0)
  return [...a.candidates].sort((x, y) => rrf(y) - rrf(x))
}
