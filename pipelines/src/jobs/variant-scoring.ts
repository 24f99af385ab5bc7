/**
 * Variant scoring, the pure part (docs/metrics.md § Variant scoring): Beta posteriors on
 * resolution, guards on escalation and CSAT, Thompson-sampling weights = P(variant is best),
 * and the stop rule (stop-rule.ts).
 */
import { probabilityBest, seedOf, seededRandom } from './beta.js'
import { barFor, logBayesFactor, stopDecision, type Evidence } from './stop-rule.js'

export interface VariantScoringOptions {
  /** Closed conversations every variant needs before weights move (until then: equal split). */
  minSamplePerVariant: number
  /** When a variant is declared the winner (stop-rule.ts); null = never automatically (a person ends it). */
  stop: Evidence | null
  /**
   * Least traffic share of each unguarded variant until a winner is declared: pure Thompson
   * weights starve the worse variant, and the stop rule then never gets the evidence it needs.
   */
  explore: number
  /** Monte Carlo draws for P(best): 10k ⇒ standard error ≤ 0.005. */
  draws: number
  /** Escalation guard: escalation rate above this multiple of the best variant's… */
  escalationRatio: number
  /** …and at least this many points above it (so 0 % vs 2 % on small counts trips nothing)… */
  escalationMargin: number
  /**
   * …and the evidence that the rates differ (null: none asked). A guarded variant gets no more
   * traffic, so it can never clear itself: without this, 1 A/A experiment in 4 cut off one of two
   * identical variants for good (ADR 0017).
   */
  escalationEvidence: Evidence | null
  /** CSAT guard: mean CSAT this far below the best variant's, with at least csatMinRatings each. */
  csatDrop: number
  csatMinRatings: number
}

export const VARIANT_DEFAULTS: VariantScoringOptions = {
  minSamplePerVariant: 30,
  // Chosen on simulated experiments (ADR 0017): ≤ 5 % false winners over any number of looks.
  stop: { bayesFactor: 20, priorSd: 0.1 },
  explore: 0.1,
  draws: 10_000,
  escalationRatio: 1.5,
  escalationMargin: 0.05,
  escalationEvidence: { bayesFactor: 20, priorSd: 0.1 },
  csatDrop: 1,
  csatMinRatings: 10,
}

export interface VariantStats {
  variantId: string
  /** Closed conversations served by this variant. */
  n: number
  resolved: number
  handedOff: number
  csat: number | null
  csatCount: number
}

export interface Posterior {
  alpha: number
  beta: number
  mean: number
  n: number
  pBest: number
  escalationRate: number
  csat: number | null
  guard: string | null
}

export interface VariantDecision {
  /** null while the minimum sample is not reached: leave the weights as they are. */
  weights: Record<string, number> | null
  posteriors: Record<string, Posterior>
  winner: string | null
  reason: string
}

/** Why a variant must get no traffic (null when it passes both guards). */
function guardOf(s: VariantStats, all: VariantStats[], o: VariantScoringOptions): string | null {
  const rate = (v: VariantStats) => (v.n ? v.handedOff / v.n : 0)
  const best = all.reduce((b, v) => (rate(v) < rate(b) ? v : b))
  const bestRate = rate(best)
  if (
    rate(s) > o.escalationRatio * bestRate &&
    rate(s) - bestRate >= o.escalationMargin &&
    escalatesMore(s, best, all.length, o.escalationEvidence)
  )
    return `escalation rate ${pct(rate(s))} > ${o.escalationRatio}× the best (${pct(bestRate)})`
  const rated = all.filter((v) => v.csat !== null && v.csatCount >= o.csatMinRatings)
  if (s.csat !== null && s.csatCount >= o.csatMinRatings && rated.length > 1) {
    const bestCsat = Math.max(...rated.map((v) => v.csat!))
    if (bestCsat - s.csat >= o.csatDrop)
      return `CSAT ${s.csat.toFixed(2)} is ${o.csatDrop}+ below the best (${bestCsat.toFixed(2)})`
  }
  return null
}

/** Whether the evidence that `s` escalates more than `best` reaches the bar (always, without a bar). */
function escalatesMore(s: VariantStats, best: VariantStats, arms: number, e: Evidence | null): boolean {
  if (e === null) return true
  const escalations = (v: VariantStats) => ({ alpha: 1 + v.handedOff, beta: 1 + v.n - v.handedOff })
  return logBayesFactor(escalations(s), escalations(best), e.priorSd) >= Math.log(barFor(e, arms))
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`
const round = (x: number) => Math.round(x * 10_000) / 10_000

/** How P(best) is estimated: Monte Carlo by default; the simulations pass a faster one (ADR 0017). */
export type PBestEstimator = (
  arms: readonly { alpha: number; beta: number }[],
  draws: number,
  random: () => number,
) => number[]

/**
 * Decides an experiment's traffic from its variants' closed conversations:
 * posterior Beta(1 + resolved, 1 + not resolved); guarded variants get weight 0; the others get
 * P(best) estimated from `draws` joint Beta draws, seeded by the experiment id and the counts
 * (same data ⇒ same weights). When the stop rule's evidence is reached the leader wins, weight 1.
 */
export function scoreVariants(
  experimentId: string,
  stats: VariantStats[],
  o: VariantScoringOptions = VARIANT_DEFAULTS,
  estimatePBest: PBestEstimator = probabilityBest,
): VariantDecision {
  const posteriors: Record<string, Posterior> = {}
  for (const s of stats)
    posteriors[s.variantId] = {
      alpha: 1 + s.resolved,
      beta: 1 + (s.n - s.resolved),
      mean: (1 + s.resolved) / (2 + s.n),
      n: s.n,
      pBest: 0,
      escalationRate: s.n ? s.handedOff / s.n : 0,
      csat: s.csat,
      guard: null,
    }
  const short = stats.filter((s) => s.n < o.minSamplePerVariant)
  if (stats.length < 2 || short.length > 0) {
    const counts = stats.map((s) => `${s.n}/${o.minSamplePerVariant}`).join(', ')
    return { weights: null, posteriors, winner: null, reason: `waiting for the minimum sample (${counts})` }
  }
  for (const s of stats) posteriors[s.variantId]!.guard = guardOf(s, stats, o)
  const eligible = stats.filter((s) => posteriors[s.variantId]!.guard === null)
  const seed = seedOf(`${experimentId}|${stats.map((s) => `${s.variantId}:${s.n}:${s.resolved}`).join('|')}`)
  const p = estimatePBest(
    eligible.map((s) => posteriors[s.variantId]!),
    o.draws,
    seededRandom(seed),
  )
  eligible.forEach((s, i) => (posteriors[s.variantId]!.pBest = round(p[i]!)))
  const guarded = stats.filter((s) => posteriors[s.variantId]!.guard !== null)
  const guardNote = guarded.length
    ? `; guarded: ${guarded.map((s) => `${s.variantId.slice(0, 8)} (${posteriors[s.variantId]!.guard})`).join(', ')}`
    : ''
  if (o.stop !== null) {
    const arms = new Map(stats.map((s) => [s.variantId, posteriors[s.variantId]!]))
    const d = stopDecision(
      arms,
      eligible.map((s) => s.variantId),
      o.stop,
    )
    if (d.winner !== null) {
      const weights = Object.fromEntries(stats.map((s) => [s.variantId, s.variantId === d.winner ? 1 : 0]))
      return {
        weights,
        posteriors,
        winner: d.winner,
        reason: `winner ${d.winner.slice(0, 8)}: Bayes factor ${evidence(d.evidence)} ≥ ${d.bar} against every other variant, P(best) ${posteriors[d.winner]!.pBest}${guardNote}`,
      }
    }
  }
  const share = Math.min(o.explore, 1 / Math.max(1, eligible.length))
  const weightOf = (s: VariantStats) =>
    posteriors[s.variantId]!.guard === null
      ? round(share + (1 - eligible.length * share) * posteriors[s.variantId]!.pBest)
      : 0
  const weights = Object.fromEntries(stats.map((s) => [s.variantId, weightOf(s)]))
  return {
    weights,
    posteriors,
    winner: null,
    reason: `Thompson sampling: weights = P(best) over ${o.draws} draws${guardNote}`,
  }
}

const evidence = (bf: number) => (bf >= 1e6 ? bf.toExponential(1) : bf.toFixed(1))

/** True when new weights differ from the current ones (a missing weight counts as a change). */
export function weightsChanged(
  current: Record<string, number | undefined>,
  next: Record<string, number>,
  tolerance = 1e-4,
): boolean {
  return Object.entries(next).some(
    ([id, w]) => current[id] === undefined || Math.abs(current[id] - w) > tolerance,
  )
}
