import { describe, expect, it } from 'vitest'
import { VARIANT_DEFAULTS, type VariantDecision } from './variant-scoring.js'
import {
  REPORT_SEEDS,
  STOP_RULE_LOOKS,
  STOP_RULE_SCENARIOS,
  seedRange,
  simulateExperiments,
  type SimulationSetup,
  type SimulationSummary,
} from './variant-simulation.js'

// The stop rule's operating characteristics on held-out seeds (the parameters were chosen on
// others: bench/src/calibrate-stop-rule.ts, ADR 0017). A look every 10 closed conversations, up to
// 4,000; each arm hands off 10 % of its conversations. Printed so the numbers in docs/metrics.md
// can be checked against a run.

const aaSeeds = seedRange(REPORT_SEEDS.from, REPORT_SEEDS.aa)
const abSeeds = seedRange(REPORT_SEEDS.from, REPORT_SEEDS.ab)
const pct = (x: number) => `${(100 * x).toFixed(1)} %`
const run = (truth: SimulationSetup['truth'], seeds: number[], o: Partial<SimulationSetup> = {}) =>
  simulateExperiments({ truth, ...STOP_RULE_LOOKS, options: VARIANT_DEFAULTS, ...o }, seeds)
const decided = (s: SimulationSummary) => (s.runs - s.undecided) / s.runs

/** The rule before ADR 0017: P(best) ≥ 0.95 among unguarded variants, pure Thompson traffic, guards on counts. */
const before: Partial<SimulationSetup> = {
  options: { ...VARIANT_DEFAULTS, stop: null, explore: 0, escalationEvidence: null },
  declare: (d: VariantDecision) => {
    if (!d.weights) return null
    const open = Object.entries(d.posteriors).filter(([, p]) => p.guard === null)
    const best = open.sort((a, b) => b[1].pBest - a[1].pBest)[0]
    return best && best[1].pBest >= 0.95 ? best[0] : null
  },
}

describe('the stop rule over simulated experiments', () => {
  it('declares a winner between identical variants in ≤ 5 % of A/A experiments (P(best) ≥ 0.95 did in most)', () => {
    let runs = 0
    let falseWinners = 0
    for (const name of ['A/A 0.5', 'A/A 0.7'] as const) {
      const now = run(STOP_RULE_SCENARIOS[name], aaSeeds)
      const then = run(STOP_RULE_SCENARIOS[name], aaSeeds, before)
      console.log(
        `STOP RULE ${name}: false winners ${pct(decided(now))} of ${now.runs} (wins ${now.wins.join('/')}); ` +
          `P(best) ≥ 0.95 before: ${pct(decided(then))}, median at ${then.medianDecidedAt} conversations`,
      )
      expect(decided(then)).toBeGreaterThan(0.05)
      runs += now.runs
      falseWinners += now.runs - now.undecided
    }
    console.log(
      `STOP RULE A/A: ${falseWinners} false winners in ${runs} experiments (${pct(falseWinners / runs)})`,
    )
    expect(runs).toBeGreaterThanOrEqual(200)
    expect(falseWinners / runs).toBeLessThanOrEqual(0.05)
  })

  it('finds the better variant of a realistic A/B difference, and says how fast', () => {
    for (const name of ['A/B 0.30 vs 0.36', 'A/B 0.6 vs 0.7'] as const) {
      const s = run(STOP_RULE_SCENARIOS[name], abSeeds)
      const power = s.wins[1]! / s.runs
      console.log(
        `STOP RULE ${name}: power ${pct(power)} within ${STOP_RULE_LOOKS.horizon} conversations ` +
          `(wrong winner ${pct(s.wins[0]! / s.runs)}), median ${s.medianDecidedAt} / mean ${s.meanDecidedAt} to decide; ` +
          `the worse variant served ${pct(s.served[0]!)} of the conversations`,
      )
      expect(s.wins[0]! / s.runs).toBeLessThanOrEqual(0.01)
      expect(power).toBeGreaterThan(name === 'A/B 0.6 vs 0.7' ? 0.9 : 0.4)
    }
  })
})
