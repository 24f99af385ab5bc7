/**
 * Simulated prompt experiments (pure, seeded), to measure what the variant-scoring rule does over
 * many experiments: the false-winner rate when the variants are identical (A/A) and the power when
 * they differ (ADR 0017). The pipeline's own decision function runs at every look; only P(best)
 * — the traffic weights — is estimated by the normal approximation, for speed.
 */
import { normalProbabilityBest, probabilityBest, seededRandom } from './beta.js'
import {
  scoreVariants,
  type VariantDecision,
  type VariantScoringOptions,
  type VariantStats,
} from './variant-scoring.js'

/** One variant's true behaviour: the chance a conversation ends resolved, or handed off. */
export interface ArmTruth {
  resolved: number
  handedOff: number
}

export interface SimulationSetup {
  truth: ArmTruth[]
  /** Closed conversations in all after which an undecided experiment is counted as undecided. */
  horizon: number
  /** Closed conversations between two runs of the pipeline (each run is a look). */
  lookEvery: number
  options: VariantScoringOptions
  /** Which variant a look declares the winner; default the pipeline's (`decision.winner`). */
  declare?: (d: VariantDecision) => string | null
}

export interface SimulatedRun {
  /** Index of the declared winner, null when none within the horizon. */
  winner: number | null
  /** Closed conversations in all when the winner was declared. */
  decidedAt: number | null
  /** Closed conversations per arm at the end. */
  n: number[]
}

/** Share of customers who rate (CSAT), as the demo and the bench's synthetic traffic have it. */
const RATED = 0.3

/** A conversation's end: resolved, handed off or neither, and maybe a CSAT rating (1–5). */
function converse(
  t: ArmTruth,
  random: () => number,
): { resolved: boolean; handedOff: boolean; csat: number | null } {
  const u = random()
  const handedOff = u < t.handedOff
  const resolved = !handedOff && u < t.handedOff + t.resolved
  if (random() >= RATED) return { resolved, handedOff, csat: null }
  const r = random()
  const csat = resolved ? (r < 0.7 ? 5 : 4) : handedOff ? 1 + Math.floor(r * 3) : 2 + Math.floor(r * 3)
  return { resolved, handedOff, csat }
}

/** The engine's pick (chooseVariant): by the weights, equally while undecided or all are 0. */
function pick(weights: number[] | null, random: () => number): number {
  const total = weights ? weights.reduce((a, b) => a + b, 0) : 0
  const k = weights?.length ?? 0
  if (!weights || total <= 0) return Math.floor(random() * k)
  let r = random() * total
  for (let i = 0; i < k; i++) if ((r -= weights[i]!) < 0) return i
  return k - 1
}

/** One experiment, looked at every `lookEvery` closed conversations until a winner or the horizon. */
export function simulateExperiment(setup: SimulationSetup, seed: number): SimulatedRun {
  const random = seededRandom(seed)
  const k = setup.truth.length
  const stats: VariantStats[] = setup.truth.map((_, i) => ({
    variantId: `v${i}`,
    n: 0,
    resolved: 0,
    handedOff: 0,
    csat: null,
    csatCount: 0,
  }))
  let weights: number[] | null = null
  for (let closed = 1; closed <= setup.horizon; closed++) {
    const arm = weights ? pick(weights, random) : Math.floor(random() * k)
    const s = stats[arm]!
    const c = converse(setup.truth[arm]!, random)
    s.n += 1
    if (c.resolved) s.resolved += 1
    if (c.handedOff) s.handedOff += 1
    if (c.csat !== null) {
      s.csat = ((s.csat ?? 0) * s.csatCount + c.csat) / (s.csatCount + 1)
      s.csatCount += 1
    }
    if (closed % setup.lookEvery !== 0) continue
    const d = scoreVariants(`sim-${seed}`, stats, setup.options, fastPBest)
    const winner = (setup.declare ?? ((x: VariantDecision) => x.winner))(d)
    if (winner !== null)
      return { winner: Number(winner.slice(1)), decidedAt: closed, n: stats.map((x) => x.n) }
    if (d.weights) weights = stats.map((x) => d.weights![x.variantId] ?? 0)
  }
  return { winner: null, decidedAt: null, n: stats.map((x) => x.n) }
}

/** Traffic weights: exact enough by the normal approximation for two arms, else few draws. */
const fastPBest = (arms: readonly { alpha: number; beta: number }[], draws: number, random: () => number) =>
  arms.length === 2 ? normalProbabilityBest(arms) : probabilityBest(arms, Math.min(draws, 500), random)

export interface SimulationSummary {
  runs: number
  /** Experiments won by each arm. */
  wins: number[]
  undecided: number
  /** Over decided experiments: closed conversations in all when the winner was declared. */
  medianDecidedAt: number | null
  meanDecidedAt: number | null
  /** Share of the horizon's conversations each arm served (after a decision the winner serves all). */
  served: number[]
}

/** Runs one experiment per seed and counts the outcomes. */
export function simulateExperiments(setup: SimulationSetup, seeds: readonly number[]): SimulationSummary {
  const runs = seeds.map((seed) => simulateExperiment(setup, seed))
  const wins = setup.truth.map((_, i) => runs.filter((r) => r.winner === i).length)
  const at = runs.flatMap((r) => (r.decidedAt === null ? [] : [r.decidedAt])).sort((a, b) => a - b)
  return {
    runs: runs.length,
    wins,
    undecided: runs.filter((r) => r.winner === null).length,
    medianDecidedAt: at.length ? at[Math.floor((at.length - 1) / 2)]! : null,
    meanDecidedAt: at.length ? Math.round(at.reduce((a, b) => a + b, 0) / at.length) : null,
    served: setup.truth.map(
      (_, i) =>
        runs.reduce((sum, r) => sum + servedBy(r, i, setup.horizon), 0) / (runs.length * setup.horizon),
    ),
  }
}

/** Conversations arm `i` serves within the horizon: its own, plus all after a decision it won. */
function servedBy(r: SimulatedRun, i: number, horizon: number): number {
  const closed = r.n.reduce((a, b) => a + b, 0)
  return r.n[i]! + (r.winner === i ? horizon - closed : 0)
}

/** Seeds `from`, `from + 1`, … : calibration and report use disjoint ranges (ADR 0017). */
export const seedRange = (from: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => from + i)

const arm = (resolved: number): ArmTruth => ({ resolved, handedOff: ESCALATION })
/** Handed off ÷ closed in every simulated arm: enough for the escalation guard to matter (ADR 0017). */
const ESCALATION = 0.1

/** The experiments the stop rule is judged on (ADR 0017): identical variants, and realistic differences. */
export const STOP_RULE_SCENARIOS = {
  'A/A 0.5': [arm(0.5), arm(0.5)],
  'A/A 0.7': [arm(0.7), arm(0.7)],
  'A/B 0.30 vs 0.36': [arm(0.3), arm(0.36)],
  'A/B 0.6 vs 0.7': [arm(0.6), arm(0.7)],
} satisfies Record<string, ArmTruth[]>

/** A look (a pipeline run) every 10 closed conversations, up to 4,000 closed conversations. */
export const STOP_RULE_LOOKS = { horizon: 4_000, lookEvery: 10 }
/** Parameters are chosen on these seeds (bench/src/calibrate-stop-rule.ts)… */
export const CALIBRATION_SEEDS = { from: 1, aa: 1_000, ab: 400 }
/** …and reported on these, never used to choose (variant-simulation.test.ts). */
export const REPORT_SEEDS = { from: 1_000_001, aa: 500, ab: 300 }
