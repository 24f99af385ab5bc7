/**
 * The definitions every number rests on (docs/metrics.md), in code, once. Pure functions over a
 * conversation's events, so each is tested by hand on small fixtures.
 */
import type { ConvEvent } from './conversation-events.js'

export interface OutcomeSettings {
  /** No customer message within this window after the last reply → assumed resolved (default 24 h). */
  resolutionWindowMs: number
  /** Reopened within this many ms after resolution → not durable (default 7 days). */
  durableWindowMs: number
}

/** How long after a reply a silent customer counts as gone (abandonment / assumed resolution start). */
export const ABANDON_AFTER_MS = 30 * 60 * 1000
/** A customer message this close after a reply, similar to the last question, is a rephrase. */
export const REPHRASE_WITHIN_MS = 10 * 60 * 1000
export const REPHRASE_SIMILARITY = 0.6

export interface ReplySignals {
  replyId: string
  messageId: string
  repliedAt: number
  intent: string
  experimentId: string | null
  variantId: string | null
  question: string
  unanswered: boolean
  negativeFeedback: boolean
  escalatedAfter: boolean
  rephrase: boolean
  abandoned: boolean
  topScore: number
  costUsd: number
  latencyMs: number
}

/**
 * Learning signals per AI reply:
 * - unanswered: the reply was not grounded in knowledge (low retrieval score / fallback reply);
 * - negative feedback: a negative rating before the next reply;
 * - escalated after: the conversation was handed off on this turn or before the next reply — by the
 *   engine (`conversation.escalated`) or recorded afterwards as a `handoff` outcome, the same two
 *   ways the conversation's outcome counts a hand-off (a gap's escalation cost rests on this);
 * - rephrase: the customer's next message, within 10 min, is similar to the question (≥ 0.6 cosine);
 * - abandoned: an unanswered reply after which the customer never wrote, rated or bought again, 30+ min ago.
 * `similarity(a, b)` is injected (embeddings live in models).
 */
export function replySignals(
  events: ConvEvent[],
  now: number,
  similarity: (a: string, b: string) => number,
): ReplySignals[] {
  const sorted = [...events].sort((a, b) => a.occurredAt - b.occurredAt)
  const customerText = new Map(
    sorted
      .filter((e) => e.type === 'message.received')
      .map((e) => [String(e.payload.messageId), String(e.payload.text ?? '')]),
  )
  const replies = sorted.filter((e) => e.type === 'reply.sent')
  return replies.map((r, i) => {
    // By position, not time: the engine stamps a question and its reply with the same instant.
    const after = sorted.slice(sorted.indexOf(r) + 1)
    const next = replies[i + 1]
    const untilNext = next ? after.slice(0, after.indexOf(next)) : after
    const question = customerText.get(String(r.payload.replyToId)) ?? ''
    const nextCustomer = after.find((e) => e.type === 'message.received')
    const unanswered = r.payload.grounded !== true
    const activityAfter = after.some(
      (e) =>
        e.type === 'message.received' || e.type === 'feedback.submitted' || e.type === 'outcome.recorded',
    )
    return {
      replyId: String(r.payload.messageId),
      messageId: String(r.payload.replyToId),
      repliedAt: r.occurredAt,
      intent: String(r.payload.intent ?? 'unknown'),
      experimentId: (r.payload.experimentId as string | null) ?? null,
      variantId: (r.payload.variantId as string | null) ?? null,
      question,
      unanswered,
      negativeFeedback: untilNext.some(
        (e) => e.type === 'feedback.submitted' && e.payload.rating === 'negative',
      ),
      escalatedAfter:
        r.payload.escalated === true ||
        untilNext.some(
          (e) =>
            e.type === 'conversation.escalated' ||
            (e.type === 'outcome.recorded' && e.payload.type === 'handoff'),
        ),
      rephrase:
        nextCustomer !== undefined &&
        nextCustomer.occurredAt - r.occurredAt <= REPHRASE_WITHIN_MS &&
        similarity(question, String(nextCustomer.payload.text ?? '')) >= REPHRASE_SIMILARITY,
      abandoned: unanswered && !activityAfter && now - r.occurredAt >= ABANDON_AFTER_MS,
      topScore: Number(r.payload.topScore ?? 0),
      costUsd: Number(r.payload.costUsd ?? 0),
      latencyMs: Number(r.payload.latencyMs ?? 0),
    }
  })
}

export type OutcomeStatus = 'open' | 'confirmed' | 'assumed' | 'handed_off' | 'abandoned'

export interface ConversationOutcome {
  status: OutcomeStatus
  handoffReason: string
  startedAt: number
  lastActivityAt: number
  closed: boolean
  confirmed: boolean
  assumed: boolean
  resolved: boolean
  durable: boolean
  reopened: boolean
  handedOff: boolean
  abandoned: boolean
  csat: number | null
  replies: number
  unansweredReplies: number
  purchases: number
  purchaseAmount: number
  leads: number
  leadValue: number
  costUsd: number
  avgLatencyMs: number
  intent: string
  experimentId: string | null
  variantId: string | null
  channel: string
}

/**
 * A conversation's outcome, the market's definitions side by side (DESIGN §6):
 * - handed off: escalated by the engine or a `handoff` outcome (reason kept);
 * - confirmed: not handed off, and the customer confirmed (positive feedback or a `resolved` outcome);
 * - assumed: not handed off, not confirmed, the last reply was grounded, and the customer did not come
 *   back within the resolution window (default 24 h) — open until the window closes;
 * - abandoned: not handed off, ended on an unanswered reply, silent for 30 min;
 * - durable: resolved (confirmed or assumed) and not reopened within N days (default 7) after it
 *   resolved; a customer message after resolution reopens it (the resolution is deducted).
 */
export function conversationOutcome(
  events: ConvEvent[],
  now: number,
  s: OutcomeSettings,
): ConversationOutcome {
  const sorted = [...events].sort((a, b) => a.occurredAt - b.occurredAt)
  const started = sorted.find((e) => e.type === 'conversation.started') ?? sorted[0]!
  const replies = sorted.filter((e) => e.type === 'reply.sent')
  const feedback = sorted.filter((e) => e.type === 'feedback.submitted')
  const outcomes = sorted.filter((e) => e.type === 'outcome.recorded')
  const escalation = sorted.find((e) => e.type === 'conversation.escalated')
  const handoffOutcome = outcomes.find((e) => e.payload.type === 'handoff')
  const handedOff = escalation !== undefined || handoffOutcome !== undefined
  const confirmEvent = [
    ...feedback.filter((e) => e.payload.rating === 'positive'),
    ...outcomes.filter((e) => e.payload.type === 'resolved'),
  ].sort((a, b) => a.occurredAt - b.occurredAt)[0]
  const lastReply = replies[replies.length - 1]
  const lastCustomer = [...sorted].reverse().find((e) => e.type === 'message.received')
  const lastActivityAt = sorted[sorted.length - 1]!.occurredAt
  const customerAfterLastReply =
    lastReply !== undefined && lastCustomer !== undefined && lastCustomer.occurredAt > lastReply.occurredAt

  const confirmed = !handedOff && confirmEvent !== undefined
  const windowClosed =
    lastReply !== undefined && !customerAfterLastReply && now - lastReply.occurredAt >= s.resolutionWindowMs
  const assumed = !handedOff && !confirmed && windowClosed && lastReply?.payload.grounded === true
  const abandoned =
    !handedOff &&
    !confirmed &&
    lastReply !== undefined &&
    lastReply.payload.grounded !== true &&
    !customerAfterLastReply &&
    now - lastReply.occurredAt >= ABANDON_AFTER_MS
  const resolved = confirmed || assumed
  const resolvedAt = confirmed
    ? confirmEvent.occurredAt
    : assumed
      ? lastReply.occurredAt + s.resolutionWindowMs
      : null
  const reopened =
    resolvedAt !== null &&
    sorted.some(
      (e) =>
        e.type === 'message.received' &&
        e.occurredAt > resolvedAt &&
        e.occurredAt <= resolvedAt + s.durableWindowMs,
    )
  const durable = resolved && !reopened && now - resolvedAt! >= s.durableWindowMs
  const status: OutcomeStatus = handedOff
    ? 'handed_off'
    : confirmed
      ? 'confirmed'
      : assumed
        ? 'assumed'
        : abandoned
          ? 'abandoned'
          : 'open'
  const csats = feedback.map((e) => e.payload.csat).filter((c): c is number => typeof c === 'number')
  const purchases = outcomes.filter((e) => e.payload.type === 'purchase')
  const leads = outcomes.filter((e) => e.payload.type === 'lead')
  const firstReply = replies[0]
  return {
    status,
    handoffReason: handedOff ? String(escalation?.payload.reason ?? 'manual') : '',
    startedAt: started.occurredAt,
    lastActivityAt,
    closed: status !== 'open',
    confirmed,
    assumed,
    resolved,
    durable,
    reopened,
    handedOff,
    abandoned,
    csat: csats.length ? csats[csats.length - 1]! : null,
    replies: replies.length,
    unansweredReplies: replies.filter((r) => r.payload.grounded !== true).length,
    purchases: purchases.length,
    purchaseAmount: purchases.reduce((sum, e) => sum + Number(e.payload.amount ?? 0), 0),
    leads: leads.length,
    leadValue: leads.reduce((sum, e) => sum + Number(e.payload.amount ?? 0), 0),
    costUsd: replies.reduce((sum, r) => sum + Number(r.payload.costUsd ?? 0), 0),
    avgLatencyMs: replies.length
      ? replies.reduce((sum, r) => sum + Number(r.payload.latencyMs ?? 0), 0) / replies.length
      : 0,
    intent: String(firstReply?.payload.intent ?? ''),
    experimentId: (firstReply?.payload.experimentId as string | null) ?? null,
    variantId: (firstReply?.payload.variantId as string | null) ?? null,
    channel: String(started.payload.channel ?? 'api'),
  }
}
