import { chDateTime, getOrganization } from '@luneo/warehouse'
import { defineJob } from '../runner/job.js'
import { loadChangedConversations, loadConversations } from './conversation-events.js'
import { ABANDON_AFTER_MS, conversationOutcome } from './definitions.js'

const HOUR = 3600 * 1000
const DAY = 24 * HOUR

/** What an outcome's timers start from: replies (abandonment, the resolution window) and confirmations. */
const TIMED_TYPES = ['reply.sent', 'feedback.submitted', 'outcome.recorded']

/**
 * Conversation outcomes → conversation_outcomes_v1. A full run computes every conversation; an
 * incremental run only those whose outcome may differ from the one computed at the watermark:
 * touched by an event since (happened or arrived), or moved by time alone — a reply 30 min old
 * (abandoned), one a resolution window old (assumed), a resolution a durable window old (durable).
 * Every other conversation's row is already what a full run would compute now.
 */
export const conversationOutcomes = defineJob({
  name: 'conversation_outcomes_v1',
  scope: 'organization',
  lookbackMs: 0,
  async run(ctx) {
    const org = ctx.organizationId!
    const settings = await getOrganization(ctx.db, org)
    const s = {
      resolutionWindowMs: (settings?.resolution_window_hours ?? 24) * HOUR,
      durableWindowMs: (settings?.durable_days ?? 7) * DAY,
    }
    const conversations =
      ctx.full || !ctx.since
        ? await loadConversations(ctx.ch, org, ctx.from, ctx.to, ctx.reads)
        : await loadChangedConversations(
            ctx.ch,
            org,
            { since: ctx.since, to: ctx.to },
            {
              types: TIMED_TYPES,
              // a handed-off, abandoned or durable (or reopened) outcome no longer moves with time
              movableOutcomesOnly: true,
              // resolved at a confirmation, or at the last reply + the resolution window (assumed)
              ages: [
                ABANDON_AFTER_MS,
                s.resolutionWindowMs,
                s.durableWindowMs,
                s.durableWindowMs + s.resolutionWindowMs,
              ],
            },
            ctx.reads,
          )
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
