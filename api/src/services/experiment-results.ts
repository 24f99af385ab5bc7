import { getExperiment, listTuningHistory, listVariants, tuningStateOf } from '@luneo/warehouse'
import { VARIANT_DEFAULTS, scoreVariants, stopDecision, variantStats } from '@luneo/pipelines'
import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'
import { notFound } from '../errors.js'
import { iso } from '../schemas/common.js'

/**
 * An experiment's results: per variant the Beta posterior on resolution over every closed
 * conversation so far, P(best) and the guards as they read now (10k seeded draws), CSAT and
 * escalation rate, the current traffic weight (the pipelines' last decision) and the history
 * of every weight change with its reason.
 */
export async function experimentResults(deps: AppDeps, auth: Auth, id: string) {
  const org = auth.organizationId
  const e = await getExperiment(deps.db, org, id)
  if (!e) throw notFound('Experiment')
  const [variants, weights, history, byId] = await Promise.all([
    listVariants(deps.db, org, id),
    tuningStateOf(deps.db, org, id),
    listTuningHistory(deps.db, org, id),
    variantStats(deps.ch, org, id),
  ])
  const stats = variants.map(
    (v) => byId.get(v.id) ?? { variantId: v.id, n: 0, resolved: 0, handedOff: 0, csat: null, csatCount: 0 },
  )
  // As if scored now, without the minimum sample or the stop rule: a reading, not a decision.
  const now = scoreVariants(id, stats, { ...VARIANT_DEFAULTS, minSamplePerVariant: 0, stop: null })
  const weightOf = new Map(weights.map((w) => [w.variant_id, w.weight]))
  // listTuningHistory answers newest first; a series reads oldest first.
  const chronological = [...history].reverse()
  return {
    id: e.id,
    name: e.name,
    status: e.status,
    winnerVariantId: e.winner_variant_id,
    variants: variants.map((v, i) => {
      const p = now.posteriors[v.id]!
      const s = stats[i]!
      return {
        id: v.id,
        label: v.label,
        promptVersionId: v.prompt_version_id,
        posterior: {
          alpha: p.alpha,
          beta: p.beta,
          mean: p.mean,
          n: p.n,
          pBest: stats.length > 1 ? p.pBest : null,
        },
        resolved: s.resolved,
        csat: s.csat,
        escalationRate: s.n ? s.handedOff / s.n : null,
        weight: weightOf.get(v.id) ?? null,
        guard: p.guard,
        weightHistory: chronological.map((h) => ({ at: iso(h.created_at), weight: h.weights[v.id] ?? null })),
      }
    }),
    decision: decisionOf(e.status, stats, now.posteriors, history[0]?.reason ?? null),
    history: history.map((h) => ({ at: iso(h.created_at), weights: h.weights, reason: h.reason })),
  }
}

const EVIDENCE_CAP = 1e12

/**
 * The stop rule read now (docs/metrics.md § Variant scoring): the leader among unguarded variants,
 * its smallest Bayes factor against any other variant and the bar it must reach, whether every
 * variant has the minimum sample, and the pipelines' last recorded reason. A reading: only the
 * pipelines (or an admin's stop) decide.
 */
function decisionOf(
  status: string,
  stats: { variantId: string; n: number }[],
  posteriors: Record<string, { alpha: number; beta: number; guard: string | null }>,
  lastReason: string | null,
) {
  const rule = VARIANT_DEFAULTS.stop ?? { bayesFactor: 20, priorSd: 0.1 }
  const arms = new Map(stats.map((s) => [s.variantId, posteriors[s.variantId]!]))
  const eligible = stats.filter((s) => posteriors[s.variantId]!.guard === null).map((s) => s.variantId)
  const d = stopDecision(arms, eligible, rule)
  const leader = [...eligible].sort((a, b) => {
    const m = (id: string) => posteriors[id]!.alpha / (posteriors[id]!.alpha + posteriors[id]!.beta)
    return m(b) - m(a)
  })[0]
  return {
    minSamplePerVariant: VARIANT_DEFAULTS.minSamplePerVariant,
    sampleReached: stats.length > 1 && stats.every((s) => s.n >= VARIANT_DEFAULTS.minSamplePerVariant),
    leaderVariantId: stats.length > 1 ? (leader ?? null) : null,
    // A Bayes factor grows without bound on lopsided data; past the cap the answer is the same.
    evidence: Math.min(d.evidence, EVIDENCE_CAP),
    bar: d.bar,
    evidenceReached: stats.length > 1 && d.evidence >= d.bar,
    ended: status !== 'running',
    lastReason,
  }
}
