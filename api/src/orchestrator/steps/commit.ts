import { appendToOutbox, type EventContext } from '@luneo/ingest'
import { enqueueWebhook, newId, recordTurn, type Db } from '@luneo/warehouse'
import type { Caller } from '../../caller.js'
import type { FaultPoint } from '../../context.js'
import { audit } from '../../services/audit.js'
import type { RetrievedChunk } from '../../knowledge/knowledge-index.js'
import type { EngineReply } from '../types.js'
import type { Loaded } from './load.js'
import { summarize } from './decide.js'
import { clamp01, turnEvents, type TurnRecord } from './turn-events.js'

/**
 * Step 8, commit, inside the turn's transaction: the audit row, both messages and the
 * conversation's memory and status, the turn's events in the outbox, and the escalation webhook.
 * Either all of it is written or none of it.
 */
export async function commit(
  trx: Db,
  caller: Caller,
  turn: Loaded,
  t: TurnRecord,
  occurredAt: Date,
  faultPoint?: FaultPoint,
): Promise<EngineReply> {
  const { conversation, agent, org, memory } = turn
  const organizationId = caller.auth.organizationId
  // Every mutation by a person or key is audited: who sent which message, in which request.
  await audit(
    trx,
    caller,
    'message.created',
    { type: 'message', id: t.messageId },
    {
      conversationId: conversation.id,
    },
  )
  faultPoint?.('turn.before_messages')
  const reopens = conversation.status === 'resolved' || conversation.status === 'closed'
  const { reason } = t.decision
  await recordTurn(trx, {
    organizationId,
    conversationId: conversation.id,
    messages: [
      {
        id: t.messageId,
        role: 'customer',
        text: t.inbound.text,
        metadata: { channel: t.channel, externalId: t.inbound.externalId ?? null },
      },
      {
        id: t.replyId,
        role: 'agent',
        text: t.decision.reply,
        metadata: {
          intent: t.intent.intent,
          confidence: t.intent.confidence,
          grounded: t.composed.grounded,
          abstained: t.composed.abstained,
          variantId: t.composed.variant?.variantId ?? null,
          sources: t.found.chunks.map((c) => c.documentId),
          // For the transcript (GET /conversations/:id): what the reply did, without the actions'
          // data (it may hold what a lookup returned about the customer).
          actions: t.acted.actions.map((a) => ({
            name: a.name,
            ok: a.result.ok,
            needsInput: a.input === null,
          })),
          escalated: reason !== null || conversation.status === 'handed_off',
          escalationReason: reason,
        },
      },
    ],
    memory: {
      ...memory,
      unansweredStreak: t.decision.unansweredStreak,
      lastIntent: t.intent.intent,
      lastCustomerText: t.redactedText.slice(0, 300),
      summary: summarize(memory.summary, t.intent.intent),
    },
    contactId: conversation.contact_id ? null : t.acted.contactId,
    ...(reason
      ? { status: 'handed_off' as const, escalationReason: reason }
      : reopens
        ? { status: 'open' as const }
        : {}),
  })
  // Latency as the customer waits for it: through the model, the actions and the writes.
  const latencyMs = Math.round(performance.now() - t.startedAt)
  const ctx: EventContext = {
    occurredAt,
    organizationId,
    vertical: agent.vertical,
    correlationId: caller.requestId,
    conversationId: conversation.id,
    contactId: t.acted.contactId,
    agentId: agent.id,
  }
  faultPoint?.('turn.before_outbox')
  await appendToOutbox(trx, turnEvents(ctx, t, latencyMs))
  faultPoint?.('turn.before_webhook')
  if (reason && org.webhook_url) {
    await enqueueWebhook(trx, {
      id: newId(),
      organization_id: organizationId,
      event_type: 'conversation.escalated',
      url: org.webhook_url,
      payload: {
        type: 'conversation.escalated',
        conversationId: conversation.id,
        agentId: agent.id,
        reason,
        lastMessage: t.redactedText,
        occurredAt: new Date().toISOString(),
      },
    })
  }
  return replyOf(turn, t)
}

/** The API's view of the committed turn. */
function replyOf(turn: Loaded, t: TurnRecord): EngineReply {
  const c = t.composed
  return {
    conversationId: turn.conversation.id,
    messageId: t.messageId,
    replyId: t.replyId,
    reply: t.decision.reply,
    intent: t.intent.intent,
    confidence: clamp01(t.intent.confidence),
    grounded: c.grounded,
    sources: dedupeSources(t.found.chunks),
    actions: t.acted.actions.map((a) => ({
      name: a.name,
      ok: a.result.ok,
      needsInput: a.input === null,
      data: a.result.data,
    })),
    escalated: t.decision.reason !== null || turn.conversation.status === 'handed_off',
    escalationReason: t.decision.reason,
    variantId: c.variant?.variantId ?? null,
    usage: {
      ...c.usage,
      tokens: c.usage.promptTokens + c.usage.completionTokens,
      costUsd: c.costUsd,
      model: c.model,
      provider: c.provider,
    },
  }
}

function dedupeSources(chunks: RetrievedChunk[]) {
  const seen = new Set<string>()
  return chunks
    .filter((c) => (seen.has(c.documentId) ? false : (seen.add(c.documentId), true)))
    .map((c) => ({
      documentId: c.documentId,
      knowledgeBaseId: c.knowledgeBaseId,
      title: c.title,
      score: clamp01(c.score),
    }))
}
