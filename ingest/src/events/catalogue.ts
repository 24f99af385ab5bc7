import { z } from 'zod'

// Every event type, with its current version and payload schema. Payloads never carry raw PII:
// texts are redacted by the conversation engine before they are written here.

const Channel = z.enum(['api', 'widget', 'email'])

export const eventCatalogue = {
  'organization.created': {
    version: 1,
    payload: z.object({ name: z.string(), vertical: z.string() }).strict(),
  },
  'agent.created': { version: 1, payload: z.object({ name: z.string(), vertical: z.string() }).strict() },
  'conversation.started': {
    version: 1,
    payload: z.object({ channel: Channel, hasContact: z.boolean() }).strict(),
  },
  'feedback.submitted': {
    version: 1,
    payload: z
      .object({
        feedbackId: z.uuid(),
        rating: z.enum(['positive', 'negative']),
        csat: z.number().int().min(1).max(5).nullable(),
      })
      .strict(),
  },
  'outcome.recorded': {
    version: 1,
    payload: z
      .object({
        outcomeId: z.uuid(),
        type: z.enum(['resolved', 'handoff', 'purchase', 'lead']),
        amount: z.number().nullable(),
        currency: z.string().nullable(),
      })
      .strict(),
  },
  'message.received': {
    version: 1,
    payload: z
      .object({
        messageId: z.uuid(),
        channel: Channel,
        /** The customer's words with PII replaced ([EMAIL], [PHONE], [CARD], [IBAN]). */
        text: z.string().max(4000),
        piiRedacted: z.number().int().nonnegative(),
      })
      .strict(),
  },
  'reply.sent': {
    version: 1,
    payload: z
      .object({
        messageId: z.uuid(),
        replyToId: z.uuid(),
        intent: z.string(),
        intentConfidence: z.number().min(0).max(1),
        grounded: z.boolean(),
        topScore: z.number().min(0).max(1),
        retrievalScores: z.array(z.number().min(0).max(1)).max(20),
        sourceDocumentIds: z.array(z.uuid()).max(20),
        experimentId: z.uuid().nullable(),
        variantId: z.uuid().nullable(),
        provider: z.string(),
        model: z.string(),
        fallback: z.boolean(),
        promptTokens: z.number().int().nonnegative(),
        completionTokens: z.number().int().nonnegative(),
        costUsd: z.number().nonnegative(),
        latencyMs: z.number().nonnegative(),
        escalated: z.boolean(),
      })
      .strict(),
  },
  'conversation.escalated': {
    version: 1,
    payload: z
      .object({
        reason: z.enum(['asked', 'low_confidence', 'sentiment', 'safety', 'action_failure']),
        messageId: z.uuid(),
      })
      .strict(),
  },
  'action.executed': {
    version: 1,
    payload: z
      .object({ action: z.string(), ok: z.boolean(), needsInput: z.boolean(), messageId: z.uuid() })
      .strict(),
  },
  // An erasure request finished: one contact's data is gone from every store. Counts only: the
  // event (like the audit row) says that a person was erased, never who (docs/adr/0022).
  'contact.erased': {
    version: 1,
    payload: z
      .object({
        erasureRequestId: z.uuid(),
        conversations: z.number().int().nonnegative(),
        messages: z.number().int().nonnegative(),
      })
      .strict(),
  },
} as const

export type EventType = keyof typeof eventCatalogue
export type EventPayload<T extends EventType> = z.infer<(typeof eventCatalogue)[T]['payload']>

export class UnknownEventError extends Error {}

/** Validates a payload against the catalogue; throws for an unknown type or version. */
export function validatePayload(type: string, version: number, payload: unknown): Record<string, unknown> {
  const entry = (eventCatalogue as Record<string, { version: number; payload: z.ZodType } | undefined>)[type]
  if (!entry) throw new UnknownEventError(`unknown event type ${type}`)
  if (entry.version !== version) throw new UnknownEventError(`unsupported version ${version} of ${type}`)
  return entry.payload.parse(payload) as Record<string, unknown>
}
