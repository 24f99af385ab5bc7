import type { Ch } from '@luneo/warehouse'
import type { RejectReason } from '../events/registry.js'
import type { KafkaProducer, ReceivedMessage } from '../kafka/kafka.js'

/** A message the sink refused, with why. */
export interface DeadLetter {
  message: ReceivedMessage
  reason: RejectReason
  detail: string
  eventId: string | null
  eventType: string | null
}

export interface DeadLetterWriter {
  write(letters: DeadLetter[]): Promise<void>
}

/**
 * Sends refused messages to the DLQ topic (original key and bytes, reason in headers) and to
 * ClickHouse `events_dlq`. A redelivered batch may put a letter on the topic twice; the table keeps
 * one row per source offset (ReplacingMergeTree on topic, partition, offset).
 */
export function createDeadLetterWriter(ch: Ch, producer: KafkaProducer, dlqTopic: string): DeadLetterWriter {
  return {
    async write(letters) {
      if (letters.length === 0) return
      await producer.send(
        dlqTopic,
        letters.map((l) => ({
          key: l.message.key ?? '',
          value: l.message.value ?? Buffer.alloc(0),
          headers: {
            'luneo-dlq-reason': l.reason,
            'luneo-dlq-detail': l.detail.slice(0, 500),
            'luneo-source': `${l.message.topic}/${l.message.partition}/${l.message.offset}`,
          },
        })),
      )
      await ch.insert({
        table: 'events_dlq',
        format: 'JSONEachRow',
        values: letters.map((l) => ({
          topic: l.message.topic,
          partition: l.message.partition,
          offset: l.message.offset,
          message_key: l.message.key,
          reason: l.reason,
          detail: l.detail,
          event_id: l.eventId,
          event_type: l.eventType,
          raw: l.message.value?.toString('utf8') ?? '',
        })),
      })
    },
  }
}
