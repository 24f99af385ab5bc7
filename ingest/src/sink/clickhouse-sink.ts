import { createHash } from 'node:crypto'
import type { Ch } from '@luneo/warehouse'
import type { EventEnvelope } from '../events/envelope.js'

/** Where published events go. The embedded drainer and the Kafka relay share this seam. */
export interface EventPublisher {
  publish(events: EventEnvelope[]): Promise<void>
}

/** An event with where the stream delivered it (Kafka partition and offset). */
export interface StreamEvent {
  event: EventEnvelope
  partition: number
  offset: string
}

/** The ClickHouse side of the sink: an EventPublisher that can also record stream positions. */
export interface ClickHouseEventWriter extends EventPublisher {
  /** Like publish, keeping each event's partition and offset (the order the stream delivered). */
  publishFromStream(items: StreamEvent[]): Promise<void>
  insertedTotal(): number
}

/** The `events` row of an envelope (exported for benchmarks that insert rows directly). */
export function eventRow(e: EventEnvelope, partition = -1, offset = '-1') {
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
    stream_partition: partition,
    stream_offset: offset,
  }
}

const uuid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/**
 * A quoted SQL list of the values that are UUIDs (checked here, so nothing else can reach the
 * query text). A value that is not one cannot be in a UUID column: leaving it out loses no match
 * (the insert then refuses the row, which dead-letters it). `NULL` when none is left.
 */
function uuidList(values: string[]): string {
  const quoted = values.filter((v) => uuid.test(v)).map((v) => `'${v}'`)
  return quoted.length > 0 ? quoted.join(',') : 'NULL'
}

/**
 * Writes events to ClickHouse `events` so that a retried batch never double-counts:
 * ids already present are skipped, and the insert carries a dedup token derived from its ids
 * (the table sets non_replicated_deduplication_window), so an identical retry is dropped too.
 * The typed tables (replies_v1, …) follow through their materialized views.
 */
export function createClickHouseSink(ch: Ch): ClickHouseEventWriter {
  let inserted = 0
  async function write(items: StreamEvent[]): Promise<void> {
    if (items.length === 0) return
    // A batch may carry the same event twice (a relay retry lands next to the original).
    const unique = new Map<string, StreamEvent>()
    for (const it of items) if (!unique.has(it.event.id)) unique.set(it.event.id, it)
    const ids = uuidList([...unique.keys()])
    const orgs = uuidList([...new Set(items.map((it) => it.event.organizationId))])
    // The alias must not be `id`: ClickHouse resolves aliases inside WHERE, and `toString(id) AS id`
    // silently turned the filter into a string comparison that matched nothing after a restart.
    // The ids go in the query text (the request body), not as bound parameters: those travel in
    // the URL, and a batch of several partitions (thousands of ids) outgrows a server's URI limit.
    // A joined batch's list can pass max_query_size (256 KiB by default): allow this text's length.
    const query = `SELECT DISTINCT toString(id) AS event_id FROM events WHERE organization_id IN (${orgs}) AND id IN (${ids})`
    const rs = await ch.query({
      query,
      format: 'JSONEachRow',
      clickhouse_settings: { max_query_size: String(Math.max(262_144, query.length + 1_024)) },
    })
    const present = new Set((await rs.json<{ event_id: string }>()).map((r) => r.event_id))
    const fresh = [...unique.values()].filter((it) => !present.has(it.event.id))
    if (fresh.length === 0) return
    const token = createHash('sha256')
      .update(fresh.map((it) => it.event.id).join(','))
      .digest('hex')
    await ch.insert({
      table: 'events',
      values: fresh.map((it) => eventRow(it.event, it.partition, it.offset)),
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: token, async_insert: 0 },
    })
    inserted += fresh.length
  }
  return {
    insertedTotal: () => inserted,
    publish: (events) => write(events.map((event) => ({ event, partition: -1, offset: '-1' }))),
    publishFromStream: write,
  }
}
