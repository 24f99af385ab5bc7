import { z } from 'zod'

/** The envelope every event travels in (DESIGN §5). Payload schemas live in the catalogue. */
export const EventEnvelope = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  // 0 is allowed so a pre-release (v0) event can still be upcast; the catalogue starts at 1.
  version: z.number().int().nonnegative(),
  organizationId: z.uuid(),
  occurredAt: z.iso.datetime({ offset: true }),
  conversationId: z.uuid().nullable(),
  contactId: z.uuid().nullable(),
  agentId: z.uuid().nullable(),
  vertical: z.string(),
  correlationId: z.string(),
  payload: z.record(z.string(), z.unknown()),
})
export type EventEnvelope = z.infer<typeof EventEnvelope>

/** Kafka key and ordering unit: events of one conversation stay in order. */
export function partitionKey(e: Pick<EventEnvelope, 'organizationId' | 'conversationId'>): string {
  return `${e.organizationId}:${e.conversationId ?? '-'}`
}
