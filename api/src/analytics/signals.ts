import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'
import { SIGNAL_MEASURES, measureValues } from '../schemas/analytics.js'
import { queryGroupings, type Range } from './analytics.js'

/** The reply signals of the range: totals, then per intent, agent and channel, most replies first. */
export async function signalsReport(deps: AppDeps, auth: Auth, range: Range) {
  const sig = [...SIGNAL_MEASURES]
  // One read of the range for the totals and the three breakdowns (GROUPING SETS).
  const [totals, ...breakdowns] = await queryGroupings(
    deps,
    auth,
    sig,
    [[], ['intent'], ['agent'], ['channel']],
    range,
    {},
  )
  // Most replies first: a rate over three replies says less than one over three hundred.
  const [byIntent, byAgent, byChannel] = (['intent', 'agent', 'channel'] as const).map((d, i) =>
    breakdowns[i]!.rows.sort((a, b) => Number(b.replies) - Number(a.replies)).map((r) => ({
      key: String(r[d]),
      values: measureValues(SIGNAL_MEASURES, r),
    })),
  )
  return {
    totals: measureValues(SIGNAL_MEASURES, totals!.rows[0]),
    byIntent: byIntent!.map((r) => ({ intent: r.key, ...r.values })),
    byAgent: byAgent!.map((r) => ({ agentId: r.key, ...r.values })),
    byChannel: byChannel!.map((r) => ({ channel: r.key, ...r.values })),
  }
}
