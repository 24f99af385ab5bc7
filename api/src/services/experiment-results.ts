import { getExperiment, listTuningHistory, listVariants, tuningStateOf } from '@luneo/warehouse'
import { VARIANT_DEFAULTS, scoreVariants, variantStats } from '@luneo/pipelines'
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
      }
    }),
    history: history.map((h) => ({ at: iso(h.created_at), weights: h.weights, reason: h.reason })),
  }
}
