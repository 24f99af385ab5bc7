import { chDateTime, getOrganization } from '@luneo/warehouse'
import { defineJob } from '../runner/job.js'
import { loadConversations } from './conversation-events.js'
import { conversationOutcome } from './definitions.js'

const HOUR = 3600 * 1000
const DAY = 24 * HOUR

/**
 * Conversation outcomes → conversation_outcomes_v1, recomputed while their windows are open:
 * the lookback covers the durable window (default 7 days) plus the resolution window.
 */
export const conversationOutcomes = defineJob({
  name: 'conversation_outcomes_v1',
  scope: 'organization',
  lookbackMs: 9 * DAY,
  async run(ctx) {
    const org = ctx.organizationId!
    const settings = await getOrganization(ctx.db, org)
    const s = {
      resolutionWindowMs: (settings?.resolution_window_hours ?? 24) * HOUR,
      durableWindowMs: (settings?.durable_days ?? 7) * DAY,
    }
    // A conversation active before the window may still change (assumed → durable), so reach back further.
    const from = new Date(
      Math.max(0, ctx.from.getTime() - (ctx.full ? 0 : s.durableWindowMs + s.resolutionWindowMs)),
    )
    const conversations = await loadConversations(ctx.ch, org, from, ctx.to)
    const rows = []
    let rowsIn = 0
    for (const [conversationId, events] of conversations) {
      rowsIn += events.length
      const o = conversationOutcome(events, ctx.to.getTime(), s)
      rows.push({
        organization_id: org,
        started_at: chDateTime(o.startedAt),
        conversation_id: conversationId,
        agent_id: events[0]!.agentId,
        vertical: events[0]!.vertical,
        channel: o.channel,
        intent: o.intent,
        experiment_id: o.experimentId,
        variant_id: o.variantId,
        last_activity_at: chDateTime(o.lastActivityAt),
        status: o.status,
        handoff_reason: o.handoffReason,
        closed: Number(o.closed),
        confirmed: Number(o.confirmed),
        assumed: Number(o.assumed),
        resolved: Number(o.resolved),
        durable: Number(o.durable),
        reopened: Number(o.reopened),
        handed_off: Number(o.handedOff),
        abandoned: Number(o.abandoned),
        csat: o.csat,
        replies: o.replies,
        unanswered_replies: o.unansweredReplies,
        purchases: o.purchases,
        purchase_amount: o.purchaseAmount,
        leads: o.leads,
        lead_value: o.leadValue,
        cost_usd: o.costUsd,
        avg_latency_ms: o.avgLatencyMs,
        computed_at: chDateTime(Date.now()),
      })
    }
    if (rows.length)
      await ctx.ch.insert({ table: 'conversation_outcomes_v1', values: rows, format: 'JSONEachRow' })
    return { rowsIn, rowsOut: rows.length }
  },
})
