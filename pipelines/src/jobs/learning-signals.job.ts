import { cosine } from '@luneo/models'
import { chDateTime } from '@luneo/warehouse'
import { defineJob } from '../runner/job.js'
import { loadConversations } from './conversation-events.js'
import { ABANDON_AFTER_MS, replySignals } from './definitions.js'

/**
 * Cosine of two texts' vectors; 0 when either has none. A reply whose question has not reached
 * ClickHouse yet (out of order: replayed, or its message dead-lettered) has the question '', which
 * no message embedded: it is not a rephrase for now, and the question's arrival touches the
 * conversation, so the next run decides again. (A 1-d stand-in vector made cosine throw and stopped
 * the job for the organization.)
 */
export function textSimilarity(vectors: ReadonlyMap<string, number[]>): (a: string, b: string) => number {
  return (a, b) => {
    const va = vectors.get(a)
    const vb = vectors.get(b)
    return va && vb ? cosine(va, vb) : 0
  }
}

/**
 * Learning signals per AI reply → reply_signals_v1. Incremental over the conversations active
 * since the watermark (by when an event happened or arrived): what follows a reply (feedback, a
 * hand-off, a rephrase) is an event, so it touches the conversation. Time alone moves one signal,
 * abandonment (30 min of silence after an unanswered reply): the window reaches back that far, so
 * every reply crossing it since the last run is recomputed — the same rows a full run computes.
 */
export const learningSignals = defineJob({
  name: 'learning_signals_v1',
  scope: 'organization',
  lookbackMs: ABANDON_AFTER_MS,
  async run(ctx) {
    const org = ctx.organizationId!
    const conversations = await loadConversations(ctx.ch, org, ctx.from, ctx.to, ctx.reads)
    const texts = new Map<string, number[]>()
    const embedder = ctx.rephraseEmbedder ?? ctx.embedder
    const vector = async (t: string) => {
      let v = texts.get(t)
      if (!v) texts.set(t, (v = (await embedder.embed([t]))[0]!))
      return v
    }
    const rows = []
    let rowsIn = 0
    for (const [conversationId, events] of conversations) {
      rowsIn += events.length
      // Precompute the embeddings this conversation's rephrase checks need (local embedder: microseconds).
      for (const e of events) if (e.type === 'message.received') await vector(String(e.payload.text ?? ''))
      const similarity = textSimilarity(texts)
      const started = events.find((e) => e.type === 'conversation.started')
      for (const s of replySignals(events, ctx.to.getTime(), similarity)) {
        rows.push({
          organization_id: org,
          replied_at: chDateTime(s.repliedAt),
          reply_id: s.replyId,
          message_id: s.messageId,
          conversation_id: conversationId,
          agent_id: events[0]!.agentId,
          vertical: events[0]!.vertical,
          channel: String(started?.payload.channel ?? 'api'),
          intent: s.intent,
          experiment_id: s.experimentId,
          variant_id: s.variantId,
          question: s.question,
          unanswered: Number(s.unanswered),
          negative_feedback: Number(s.negativeFeedback),
          escalated_after: Number(s.escalatedAfter),
          rephrase: Number(s.rephrase),
          abandoned: Number(s.abandoned),
          top_score: s.topScore,
          cost_usd: s.costUsd,
          latency_ms: Math.round(s.latencyMs),
          computed_at: chDateTime(Date.now()),
        })
      }
    }
    if (rows.length) await ctx.ch.insert({ table: 'reply_signals_v1', values: rows, format: 'JSONEachRow' })
    return { rowsIn, rowsOut: rows.length }
  },
})
