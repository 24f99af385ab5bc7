import type { Db, OutboxRow } from '@luneo/warehouse'
import { newId } from '@luneo/warehouse'
import { eventCatalogue, validatePayload, type EventPayload, type EventType } from '../events/catalogue.js'
import { partitionKey, type EventEnvelope } from '../events/envelope.js'

export interface EventContext {
  organizationId: string
  vertical: string
  correlationId: string
  conversationId?: string | null
  contactId?: string | null
  agentId?: string | null
  occurredAt?: Date
}

/** Builds a validated envelope (id UUIDv7) for a catalogued event type. */
export function buildEvent<T extends EventType>(
  type: T,
  ctx: EventContext,
  payload: EventPayload<T>,
): EventEnvelope {
  const version = eventCatalogue[type].version
  return {
    id: newId(),
    type,
    version,
    organizationId: ctx.organizationId,
    occurredAt: (ctx.occurredAt ?? new Date()).toISOString(),
    conversationId: ctx.conversationId ?? null,
    contactId: ctx.contactId ?? null,
    agentId: ctx.agentId ?? null,
    vertical: ctx.vertical,
    correlationId: ctx.correlationId,
    payload: validatePayload(type, version, payload),
  }
}

/**
 * Appends events to the outbox. Call it with the same transaction as the domain change: a
 * committed change then always has its events, and a rolled-back one never emits them.
 */
export async function appendToOutbox(trx: Db, events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return
  await trx.insertInto('outbox').values(events.map(outboxRow)).execute()
}

/** The outbox row of an event, for a statement that inserts it itself (openConversationRows). */
export function outboxRow(e: EventEnvelope): OutboxRow {
  return {
    id: e.id,
    organization_id: e.organizationId,
    partition_key: partitionKey(e),
    type: e.type,
    version: e.version,
    envelope: JSON.stringify(e),
  }
}
