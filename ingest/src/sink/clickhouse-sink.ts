import { createHash } from 'node:crypto'
import type { Ch } from '@luneo/warehouse'
import type { EventEnvelope } from '../events/envelope.js'

/** Where published events go. The embedded drainer and (later) the Kafka relay share this seam. */
export interface EventPublisher {
  publish(events: EventEnvelope[]): Promise<void>
}

function toRow(e: EventEnvelope) {
  return {
    id: e.id,
    type: e.type,
    version: e.version,
    organization_id: e.organizationId,
    occurred_at: e.occurredAt,
    conversation_id: e.conversationId,
    contact_id: e.contactId,
    agent_id: e.agentId,
    vertical: e.vertical,
    correlation_id: e.correlationId,
    payload: JSON.stringify(e.payload),
  }
}

/**
 * Writes events to ClickHouse `events` so that a retried batch never double-counts:
 * ids already present are skipped, and the insert carries a dedup token derived from its ids
 * (the table sets non_replicated_deduplication_window), so an identical retry is dropped too.
 */
export function createClickHouseSink(ch: Ch): EventPublisher & { insertedTotal(): number } {
  let inserted = 0
  return {
    insertedTotal: () => inserted,
    async publish(events) {
      if (events.length === 0) return
      const ids = events.map((e) => e.id)
      const orgs = [...new Set(events.map((e) => e.organizationId))]
      // The alias must not be `id`: ClickHouse resolves aliases inside WHERE, and `toString(id) AS id`
      // silently turned the filter into a string comparison that matched nothing after a restart.
      const rs = await ch.query({
        query:
          'SELECT DISTINCT toString(id) AS event_id FROM events WHERE organization_id IN {orgs:Array(UUID)} AND id IN {ids:Array(UUID)}',
        query_params: { orgs, ids },
        format: 'JSONEachRow',
      })
      const present = new Set((await rs.json<{ event_id: string }>()).map((r) => r.event_id))
      const fresh = events.filter((e) => !present.has(e.id))
      if (fresh.length === 0) return
      const token = createHash('sha256')
        .update(fresh.map((e) => e.id).join(','))
        .digest('hex')
      await ch.insert({
        table: 'events',
        values: fresh.map(toRow),
        format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplication_token: token, async_insert: 0 },
      })
      inserted += fresh.length
    },
  }
}
