// One conversation's events, shaped like the engine's (api/src/orchestrator): the same types,
// payloads and order, validated against the event catalogue by buildEvent. Questions are the
// vertical template's own intent examples (answered from the knowledge), plus a few questions per
// vertical the starter knowledge does not cover (the knowledge-gap job's material).
import {
  eventCatalogue,
  validatePayload,
  type EventContext,
  type EventEnvelope,
  type EventPayload,
  type EventType,
} from '@luneo/ingest'
import { getTemplate } from '@luneo/models'
import type { Vertical } from '@luneo/warehouse'
import { seededUuid, type Rng } from '../rng.js'
import { llmReplyFields } from '../llm-fields.js'
import type { Tenant } from './tenants.js'

const MIN = 60_000
const DAY = 24 * 60 * MIN

export interface Question {
  intent: string
  action: string | undefined
  texts: string[]
  grounded: boolean
}

// Paraphrase pairs per vertical that the template's starter knowledge does not answer.
const uncovered: Record<Vertical, [string, string[]][]> = {
  ecommerce: [
    ['shipping_info', ['Do you ship to Canada?', 'Can you deliver to Canada?']],
    ['product_question', ['Is this jacket waterproof?', 'Is the rain jacket water resistant?']],
    ['product_question', ['Do you sell gift cards?', 'Can I buy a gift card for a friend?']],
  ],
  real_estate: [
    ['listing_details', ['Are pets allowed in the building?', 'Can I keep a dog there?']],
    ['landlord_services', ['Do you handle commercial leases?', 'Can you rent out my office space?']],
  ],
  accounting: [
    ['pricing_question', ['Do you do crypto tax returns?', 'Can you file taxes on my bitcoin gains?']],
    ['company_formation', ['Can you set up a company abroad?', 'Do you register companies in Estonia?']],
  ],
  medical: [
    ['insurance_billing', ['Do you accept travel insurance?', 'Is my travel health cover accepted?']],
    ['opening_hours', ['Are you open on public holidays?', 'Is the practice open on bank holidays?']],
  ],
}

export interface Script {
  answered: Question[]
  unanswered: Question[]
  /** Unanswered replies in a row before the engine hands off (the template's escalation rule). */
  maxUnanswered: number
}

/** The vertical's questions: its template's intent examples, and what the knowledge does not cover. */
export function scriptOf(vertical: Vertical): Script {
  const t = getTemplate(vertical)
  if (!t) throw new Error(`no template for vertical ${vertical}`)
  const actions = new Map(t.intents.map((i) => [i.name, i.action]))
  return {
    answered: t.intents
      .filter((i) => i.name !== 'human_handoff')
      .map((i) => ({ intent: i.name, action: i.action, texts: i.examples, grounded: true })),
    unanswered: uncovered[vertical].map(([intent, texts]) => ({
      intent,
      action: actions.get(intent),
      texts,
      grounded: false,
    })),
    maxUnanswered: t.escalation.maxUnansweredTurns,
  }
}

const channels = ['widget', 'widget', 'api', 'email'] as const

/** The organization a conversation belongs to (a generated tenant, or the pipelines bench's). */
export type ConversationTenant = Pick<Tenant, 'id' | 'vertical' | 'agentId' | 'experiment' | 'documentIds'>

/** The `action.executed` a reply runs, if any (its messageId is the reply's, set by the caller). */
export type ActionRule = (
  rng: Rng,
  q: Question,
  text: string,
) => Omit<EventPayload<'action.executed'>, 'messageId'> | null

/** Where the generator and the pipelines bench differ. */
export interface ConversationStyle {
  /** A new id at time `ms` (default seededUuid: the same seed gives the same ids). */
  id: (ms: number) => string
  /** Share of fresh questions the knowledge does not cover (default 0.2). */
  unansweredShare: number
  /** Default: a grounded answer runs its intent's template action (97 % ok, 30 % need input). */
  action: ActionRule
}

const templateAction: ActionRule = (rng, q) =>
  q.action && q.grounded ? { action: q.action, ok: rng.chance(0.97), needsInput: rng.chance(0.3) } : null

/**
 * buildEvent's envelope with the id from `style.id`. The payload is checked against the catalogue
 * for one event in `VALIDATE_EVERY` (the test checks every one at 20k): zod on every event was
 * about a fifth of the generator's own CPU, for payloads built by the same few lines each time.
 */
const VALIDATE_EVERY = 64

/**
 * Returns `conversationEvents(tenant, script, start, end)`: one conversation's events in time
 * order, all before `end`: 1–3 turns (question and reply at the same instant, as the engine stamps
 * them), actions per `style.action`, a rephrase after an unanswered reply, a handoff after the
 * script's unanswered streak or when asked (3 %), then maybe feedback (30 %), an outcome (15 %),
 * and a return days later (5 %). Every draw comes from `rng`: one seed, one data set.
 */
export function createConversations(
  rng: Rng,
  style: Partial<ConversationStyle> = {},
): (tenant: ConversationTenant, script: Script, start: number, end: number) => EventEnvelope[] {
  const id = style.id ?? ((ms: number) => seededUuid(rng, ms))
  const unansweredShare = style.unansweredShare ?? 0.2
  const action = style.action ?? templateAction
  let built = 0
  const envelope = <T extends EventType>(
    type: T,
    ctx: EventContext,
    payload: EventPayload<T>,
  ): EventEnvelope => {
    const at = ctx.occurredAt!
    const version = eventCatalogue[type].version
    if (built++ % VALIDATE_EVERY === 0) validatePayload(type, version, payload)
    return {
      id: id(at.getTime()),
      type,
      version,
      organizationId: ctx.organizationId,
      occurredAt: at.toISOString(),
      conversationId: ctx.conversationId ?? null,
      contactId: ctx.contactId ?? null,
      agentId: ctx.agentId ?? null,
      vertical: ctx.vertical,
      correlationId: ctx.correlationId,
      payload,
    }
  }
  return (tenant, script, start, end) => {
    const base: EventContext = {
      organizationId: tenant.id,
      vertical: tenant.vertical,
      correlationId: id(start),
      conversationId: id(start),
      contactId: rng.chance(0.6) ? id(start) : null,
      agentId: tenant.agentId,
    }
    const events: EventEnvelope[] = []
    const emit = (e: EventEnvelope) => events.push(e)
    const at = (t: number): EventContext => ({ ...base, occurredAt: new Date(t) })
    const variantId = tenant.experiment ? rng.pick(tenant.experiment.variantIds) : null
    const channel = rng.pick(channels)
    emit(envelope('conversation.started', at(start), { channel, hasContact: base.contactId !== null }))
    let t = start + rng.int(1_000, 30_000)
    let streak = 0
    let escalated = false
    let previous: Question | null = null
    const turn = (q: Question, text: string) => {
      const messageId = id(t)
      const replyId = id(t)
      const topScore = q.grounded ? 0.55 + rng.next() * 0.4 : rng.next() * 0.3
      streak = q.grounded ? 0 : streak + 1
      const reason =
        streak >= script.maxUnanswered
          ? ('low_confidence' as const)
          : rng.chance(0.03)
            ? ('asked' as const)
            : null
      emit(
        envelope('message.received', at(t), {
          messageId,
          channel,
          text,
          piiRedacted: text.includes('[EMAIL]') ? 1 : 0,
        }),
      )
      emit(
        envelope('reply.sent', at(t), {
          messageId: replyId,
          replyToId: messageId,
          intent: q.intent,
          intentConfidence: 0.45 + rng.next() * 0.5,
          grounded: q.grounded,
          topScore,
          retrievalScores: [
            topScore,
            ...Array.from({ length: 3 }, () => topScore * (0.5 + rng.next() * 0.5)),
          ],
          sourceDocumentIds: q.grounded ? [rng.pick(tenant.documentIds)] : [],
          experimentId: tenant.experiment?.id ?? null,
          variantId,
          ...llmReplyFields(rng, reason !== null),
        }),
      )
      const run = action(rng, q, text)
      if (run) emit(envelope('action.executed', at(t), { ...run, messageId: replyId }))
      if (reason) {
        emit(envelope('conversation.escalated', at(t), { reason, messageId: replyId }))
        escalated = true
      }
      previous = q
    }
    const turns = rng.chance(0.5) ? 1 : rng.chance(0.6) ? 2 : 3
    for (let k = 0; k < turns && !escalated && t < end; k++) {
      const p = previous as Question | null
      // After an unanswered reply, half the customers ask the same thing again in other words.
      const q =
        p && !p.grounded && rng.chance(0.5)
          ? p
          : rng.chance(unansweredShare)
            ? rng.pick(script.unanswered)
            : rng.pick(script.answered)
      let text = rng.pick(q.texts)
      if (rng.chance(0.3)) text = `${text} Reference ${rng.int(10_000, 99_999)}.`
      if (rng.chance(0.1)) text = `${text} You can reach me at [EMAIL].`
      if (rng.chance(0.2)) text = `Hi, ${text.charAt(0).toLowerCase()}${text.slice(1)}`
      turn(q, text)
      t += rng.int(40_000, 8 * MIN)
    }
    const last = previous as Question | null
    if (!escalated && t < end && rng.chance(0.3)) {
      const positive = last?.grounded ? rng.chance(0.85) : rng.chance(0.3)
      emit(
        envelope('feedback.submitted', at(t), {
          feedbackId: id(t),
          rating: positive ? 'positive' : 'negative',
          csat: rng.chance(0.7) ? (positive ? rng.int(4, 5) : rng.int(1, 3)) : null,
        }),
      )
      t += rng.int(10_000, 2 * MIN)
    }
    if (!escalated && t < end && rng.chance(0.15)) {
      const kind =
        tenant.vertical === 'ecommerce'
          ? rng.chance(0.4)
            ? 'purchase'
            : 'resolved'
          : rng.chance(0.3)
            ? 'lead'
            : 'resolved'
      emit(
        envelope('outcome.recorded', at(t), {
          outcomeId: id(t),
          type: kind,
          amount: kind === 'purchase' ? Math.round(2000 + rng.next() * 15_000) / 100 : null,
          currency: kind === 'purchase' ? 'EUR' : null,
        }),
      )
    }
    // A few customers come back days later with another question (reopens, durable resolution).
    const back = t + rng.int(1, 5) * DAY
    if (!escalated && back < end && rng.chance(0.05)) {
      const q = rng.pick(script.answered)
      t = back
      turn(q, rng.pick(q.texts))
    }
    return events.filter((e) => Date.parse(e.occurredAt) < end)
  }
}
