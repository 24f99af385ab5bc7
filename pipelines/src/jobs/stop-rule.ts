/**
 * The stop rule of variant scoring (docs/metrics.md § Variant scoring, ADR 0017): a variant wins
 * when the evidence that its resolution rate differs from every other variant's — a Bayes factor
 * — reaches a bar, and it is the better one each time.
 *
 * Why a Bayes factor and not P(best): the pipeline looks at the posterior after every run. Under
 * "no difference" a Bayes factor is a non-negative martingale, so by Ville's inequality the chance
 * that it *ever* reaches `bayesFactor` is at most 1 / bayesFactor, however often one looks. P(best)
 * has no such property: at a fixed 0.95 it crosses sooner or later in most A/A experiments.
 */

/** The evidence a decision needs: a winner, or a guard that cuts a variant's traffic. */
export interface Evidence {
  /** Bar on the Bayes factor for "the two rates differ" vs "they are equal" (20 ⇒ ≤ 5 % false calls). */
  bayesFactor: number
  /** Prior sd of the difference under "they differ" (the size of effect worth detecting). */
  priorSd: number
}

export interface ArmPosterior {
  alpha: number
  beta: number
}

const mean = (p: ArmPosterior) => p.alpha / (p.alpha + p.beta)
const variance = (p: ArmPosterior) => {
  const s = p.alpha + p.beta
  return (p.alpha * p.beta) / (s * s * (s + 1))
}

/**
 * log Bayes factor of H1 "θa − θb ~ N(0, τ²)" against H0 "θa = θb", on the normal approximation
 * of the posterior difference (mean d, variance V): log N(d; 0, V + τ²) − log N(d; 0, V). This is
 * the mixture sequential probability ratio test of Johari et al. (2017), "Always valid inference".
 */
export function logBayesFactor(a: ArmPosterior, b: ArmPosterior, priorSd: number): number {
  const d = mean(a) - mean(b)
  const v = variance(a) + variance(b)
  const t2 = priorSd * priorSd
  return -0.5 * Math.log1p(t2 / v) + (d * d * t2) / (2 * v * (v + t2))
}

/** The bar with k arms: any of the k(k−1)/2 pairs may cross, so each pays (Bonferroni). */
export function barFor(rule: Evidence, arms: number): number {
  return rule.bayesFactor * Math.max(1, (arms * (arms - 1)) / 2)
}

export interface StopDecision {
  winner: string | null
  /** The smallest Bayes factor of the leader against another arm (how close it is to the bar). */
  evidence: number
  bar: number
}

/**
 * The leader (the highest posterior mean among `eligible`) wins when its Bayes factor against
 * every other arm — guarded ones included, so a guard alone never ends an experiment — reaches
 * the bar and its mean is the higher each time.
 */
export function stopDecision(
  arms: ReadonlyMap<string, ArmPosterior>,
  eligible: readonly string[],
  rule: Evidence,
): StopDecision {
  const bar = barFor(rule, arms.size)
  const leader = [...eligible].sort((x, y) => mean(arms.get(y)!) - mean(arms.get(x)!))[0]
  if (leader === undefined || arms.size < 2) return { winner: null, evidence: 0, bar }
  const lead = arms.get(leader)!
  let evidence = Infinity
  for (const [id, other] of arms) {
    if (id === leader) continue
    const bf = mean(lead) > mean(other) ? Math.exp(logBayesFactor(lead, other, rule.priorSd)) : 0
    evidence = Math.min(evidence, bf)
  }
  return { winner: evidence >= bar ? leader : null, evidence, bar }
}
