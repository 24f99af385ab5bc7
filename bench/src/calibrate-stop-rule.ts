// Chooses the stop rule's parameters on simulated experiments (ADR 0017), on CALIBRATION seeds
// only: the report (pipelines/src/jobs/variant-simulation.test.ts) runs on other seeds. Run:
//   node --import tsx bench/src/calibrate-stop-rule.ts          (~10 min on 2 busy cores)
// Grid: the exploration floor (least traffic share of each variant until a decision) × the prior
// sd of the Bayes factor; its bar stays at 20 (Ville: ≤ 5 % false winners, any number of looks).
// Pick: the smallest floor whose power on 0.6 vs 0.7 reaches 90 % within the horizon with A/A
// false winners ≤ 4 % (margin under 5 % for the report's sampling error), then the prior sd with
// the best mean power; it prints every cell, so the trade-off is in view.
import {
  CALIBRATION_SEEDS,
  STOP_RULE_LOOKS,
  STOP_RULE_SCENARIOS,
  VARIANT_DEFAULTS,
  seedRange,
  simulateExperiments,
  type VariantScoringOptions,
} from '@luneo/pipelines'

const FLOORS = [0, 0.05, 0.1, 0.15, 0.2, 0.25]
const PRIOR_SDS = [0.05, 0.1, 0.2]

interface Cell {
  explore: number
  priorSd: number
  falseWinners: number
  power: Record<string, number>
  worseShare: Record<string, number>
  medianDecidedAt: Record<string, number | null>
}

function evaluate(explore: number, priorSd: number): Cell {
  const options: VariantScoringOptions = { ...VARIANT_DEFAULTS, explore, stop: { bayesFactor: 20, priorSd } }
  const cell: Cell = { explore, priorSd, falseWinners: 0, power: {}, worseShare: {}, medianDecidedAt: {} }
  let aaRuns = 0
  let aaWins = 0
  for (const [name, truth] of Object.entries(STOP_RULE_SCENARIOS)) {
    const aa = name.startsWith('A/A')
    const seeds = seedRange(CALIBRATION_SEEDS.from, aa ? CALIBRATION_SEEDS.aa : CALIBRATION_SEEDS.ab)
    const s = simulateExperiments({ truth, ...STOP_RULE_LOOKS, options }, seeds)
    if (aa) {
      aaRuns += s.runs
      aaWins += s.runs - s.undecided
      continue
    }
    cell.power[name] = s.wins[1]! / s.runs
    cell.worseShare[name] = s.served[0]!
    cell.medianDecidedAt[name] = s.medianDecidedAt
  }
  cell.falseWinners = aaWins / aaRuns
  return cell
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`
const cells: Cell[] = []
for (const explore of FLOORS)
  for (const priorSd of PRIOR_SDS) {
    const c = evaluate(explore, priorSd)
    cells.push(c)
    const ab = Object.keys(c.power)
      .map(
        (k) =>
          `${k}: power ${pct(c.power[k]!)}, worse arm ${pct(c.worseShare[k]!)}, median ${c.medianDecidedAt[k]}`,
      )
      .join(' | ')
    console.log(`floor ${explore} sd ${priorSd}: A/A false winners ${pct(c.falseWinners)} | ${ab}`)
  }
const meanPower = (c: Cell) => Object.values(c.power).reduce((a, b) => a + b, 0) / Object.keys(c.power).length
const ok = cells.filter((c) => c.falseWinners <= 0.04 && c.power['A/B 0.6 vs 0.7']! >= 0.9)
const floor = Math.min(...ok.map((c) => c.explore))
const pick = ok.filter((c) => c.explore === floor).sort((a, b) => meanPower(b) - meanPower(a))[0]
console.log(pick ? `pick: floor ${pick.explore}, prior sd ${pick.priorSd}` : 'pick: none meets the criteria')

// How much the pick leans on the look schedule: a look after every closed conversation, and a
// horizon five times longer (Ville's bound holds for both; the simulation checks it does here).
if (pick) {
  const options: VariantScoringOptions = {
    ...VARIANT_DEFAULTS,
    explore: pick.explore,
    stop: { bayesFactor: 20, priorSd: pick.priorSd },
  }
  const seeds = seedRange(CALIBRATION_SEEDS.from, 300)
  for (const [label, looks] of [
    ['a look per conversation', { horizon: STOP_RULE_LOOKS.horizon, lookEvery: 1 }],
    ['horizon 20,000', { horizon: 20_000, lookEvery: 20 }],
  ] as const)
    for (const name of ['A/A 0.5', 'A/A 0.7'] as const) {
      const s = simulateExperiments({ truth: STOP_RULE_SCENARIOS[name], ...looks, options }, seeds)
      console.log(`${label}, ${name}: false winners ${pct((s.runs - s.undecided) / s.runs)} of ${s.runs}`)
    }
}
