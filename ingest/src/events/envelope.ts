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

// The envelope's own patterns (zod's, read off the schema above so the two cannot drift).
const patternOf = (s: z.ZodType) => (s as unknown as { _zod: { pattern: RegExp } })._zod.pattern
const uuidPattern = patternOf(EventEnvelope.shape.id)
const datetimePattern = patternOf(EventEnvelope.shape.occurredAt)
const uuidOrNull = (v: unknown) => v === null || (typeof v === 'string' && uuidPattern.test(v))

/**
 * The envelope as `EventEnvelope.parse` would return it (unknown keys dropped), or null when any
 * field fails; a hand-written pass of the same rules costs a fraction of zod's (the sink and the
 * relay check every event). Null does not say why: ask `EventEnvelope.safeParse` for that.
 */
export function checkEnvelope(value: unknown): EventEnvelope | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const v = value as Record<string, unknown>
  const { id, type, version, organizationId, occurredAt, conversationId, contactId, agentId } = v
  const { vertical, correlationId, payload } = v
  if (
    typeof id !== 'string' ||
    !uuidPattern.test(id) ||
    typeof type !== 'string' ||
    type.length === 0 ||
    typeof version !== 'number' ||
    !Number.isSafeInteger(version) ||
    version < 0 ||
    typeof organizationId !== 'string' ||
    !uuidPattern.test(organizationId) ||
    typeof occurredAt !== 'string' ||
    !datetimePattern.test(occurredAt) ||
    !uuidOrNull(conversationId) ||
    !uuidOrNull(contactId) ||
    !uuidOrNull(agentId) ||
    typeof vertical !== 'string' ||
    typeof correlationId !== 'string' ||
    typeof payload !== 'object' ||
    payload === null ||
    Array.isArray(payload)
  )
    return null
  return {
    id,
    type,
    version,
    organizationId,
    occurredAt,
    conversationId: conversationId as string | null,
    contactId: contactId as string | null,
    agentId: agentId as string | null,
    vertical,
    correlationId,
    payload: payload as Record<string, unknown>,
  }
}

/** checkEnvelope, falling back to zod for the verdict and its message. */
export function parseEnvelope(value: unknown): z.ZodSafeParseResult<EventEnvelope> {
  const fast = checkEnvelope(value)
  return fast ? { success: true, data: fast } : EventEnvelope.safeParse(value)
}
