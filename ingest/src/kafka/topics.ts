import type { KafkaHandle } from './kafka.js'

/**
 * Creates the events topic and its DLQ when missing. The partition count is fixed at creation:
 * adding partitions later moves keys and breaks per-conversation order (see kafka.ts).
 */
export async function ensureEventTopics(
  kafka: KafkaHandle,
  topic: string,
  partitions: number,
): Promise<void> {
  await kafka.admin.ensureTopic(topic, partitions)
  await kafka.admin.ensureTopic(`${topic}.dlq`, 1)
}
