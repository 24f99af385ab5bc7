import type { KafkaHandle } from './kafka.js'

/**
 * How long the broker keeps events, set explicitly instead of the broker's default (7 days on a
 * stock broker, but whatever an operator changed it to). The topic is a transport, not a store:
 * ClickHouse is where events live, and a sink that is down longer than this loses what it did not
 * read. 7 days covers a long weekend of a stopped sink with room; the DLQ keeps 30 days, the time
 * to look at a poison message and replay it (docs/adr/0022).
 */
export const EVENTS_RETENTION_MS = 7 * 24 * 3_600_000
export const DLQ_RETENTION_MS = 30 * 24 * 3_600_000

/**
 * Creates the events topic and its DLQ when missing, with explicit retention, and sets the
 * retention of existing ones to what is asked (then reads it back: the returned values are what
 * the broker says). The partition count is fixed at creation: adding partitions later moves keys
 * and breaks per-conversation order (see kafka.ts).
 */
export async function ensureEventTopics(
  kafka: KafkaHandle,
  topic: string,
  partitions: number,
  retention: { eventsMs?: number; dlqMs?: number } = {},
): Promise<{ eventsRetentionMs: number; dlqRetentionMs: number }> {
  const eventsMs = retention.eventsMs ?? EVENTS_RETENTION_MS
  const dlqMs = retention.dlqMs ?? DLQ_RETENTION_MS
  await kafka.admin.ensureTopic(topic, partitions, { retentionMs: eventsMs })
  await kafka.admin.ensureTopic(`${topic}.dlq`, 1, { retentionMs: dlqMs })
  const eventsRetentionMs = await kafka.admin.ensureRetention(topic, eventsMs)
  const dlqRetentionMs = await kafka.admin.ensureRetention(`${topic}.dlq`, dlqMs)
  return { eventsRetentionMs, dlqRetentionMs }
}
