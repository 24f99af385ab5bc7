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
 * Creates the events topic and its DLQ when missing, then sets their retention (a new topic's
 * too: this is the one place that sets it) and reads it back: the returned values are what the broker says. The
 * partition count is fixed at creation: adding partitions later moves keys and breaks
 * per-conversation order (see kafka.ts).
 */
export async function ensureEventTopics(
  kafka: KafkaHandle,
  topic: string,
  partitions: number,
): Promise<{ eventsRetentionMs: number; dlqRetentionMs: number }> {
  await kafka.admin.ensureTopic(topic, partitions)
  await kafka.admin.ensureTopic(`${topic}.dlq`, 1)
  const eventsRetentionMs = await kafka.admin.ensureRetention(topic, EVENTS_RETENTION_MS)
  const dlqRetentionMs = await kafka.admin.ensureRetention(`${topic}.dlq`, DLQ_RETENTION_MS)
  return { eventsRetentionMs, dlqRetentionMs }
}
