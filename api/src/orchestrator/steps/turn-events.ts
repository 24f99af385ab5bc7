import { buildEvent, type EventContext, type EventEnvelope } from '@luneo/ingest'
import type { Channel } from '@luneo/warehouse'
import type { InboundMessage } from '../normalize.js'
import type { Acted } from './act.js'
import type { Classified } from './classify.js'
import type { Composed } from './compose.js'
import type { Decision } from './decide.js'
import type { Retrieved } from './retrieve.js'

/** Everything one turn produced, as the commit step records it. */
export interface TurnRecord {
  messageId: string
  replyId: string
  channel: Channel
  inbound: InboundMessage
  redactedText: string
  piiFindings: number
  intent: Classified
  found: Retrieved
  composed: Composed
  acted: Acted
  decision: Decision
  /** performance.now() when the message arrived. */
  startedAt: number
}

export const clamp01 = (x: number) => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0))

/**
 * The turn's events (pure): message.received, reply.sent, one action.executed per action, an
 * outcome.recorded per lead an action created, conversation.escalated when it hands off. Only
 * redacted text goes into events.
 */
export function turnEvents(ctx: EventContext, t: TurnRecord, latencyMs: number): EventEnvelope[] {
  const { chunks } = t.found
  const { composed: c, decision, acted } = t
  return [
    buildEvent('message.received', ctx, {
      messageId: t.messageId,
      channel: t.channel,
      text: t.redactedText,
      piiRedacted: t.piiFindings,
    }),
    buildEvent('reply.sent', ctx, {
      messageId: t.replyId,
      replyToId: t.messageId,
      intent: t.intent.intent,
      intentConfidence: clamp01(t.intent.confidence),
      grounded: c.grounded,
      topScore: clamp01(chunks[0]?.score ?? 0),
      retrievalScores: chunks.map((x) => clamp01(x.score)),
      sourceDocumentIds: [...new Set(chunks.map((x) => x.documentId))].filter(Boolean),
      experimentId: c.variant?.experimentId ?? null,
      variantId: c.variant?.variantId ?? null,
      provider: c.provider,
      model: c.model,
      fallback: c.fallback,
      promptTokens: c.usage.promptTokens,
      completionTokens: c.usage.completionTokens,
      costUsd: c.costUsd,
      latencyMs,
      escalated: decision.reason !== null,
    }),
    ...acted.actions.map((a) =>
      buildEvent('action.executed', ctx, {
        action: a.name,
        ok: a.result.ok,
        needsInput: a.input === null,
        messageId: t.replyId,
      }),
    ),
    ...acted.actions.flatMap((a) =>
      a.result.outcome
        ? [
            buildEvent('outcome.recorded', ctx, {
              outcomeId: a.result.outcome.id,
              type: 'lead',
              amount: a.result.outcome.amount,
              currency: a.result.outcome.currency,
            }),
          ]
        : [],
    ),
    ...(decision.reason
      ? [buildEvent('conversation.escalated', ctx, { reason: decision.reason, messageId: t.replyId })]
      : []),
  ]
}
