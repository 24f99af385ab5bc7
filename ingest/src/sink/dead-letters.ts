import type { Ch } from '@luneo/warehouse'
import type { RejectReason } from '../events/registry.js'
import type { KafkaProducer, ReceivedMessage } from '../kafka/kafka.js'

/**
 * Why a message was set aside: the registry refused it (bad JSON, unknown type, …), or ClickHouse
 * refused the row as invalid (`store_rejected`, the server's message in `detail`).
 */
export type DeadLetterReason = RejectReason | 'store_rejected'

/** A message the sink refused, with why. */
export interface DeadLetter {
  message: ReceivedMessage
  reason: DeadLetterReason
  detail: string
  eventId: string | null
  eventType: string | null
}

export interface DeadLetterWriter {
  write(letters: DeadLetter[]): Promise<void>
}

/** One `events_dlq` row: where the letter came from (topic, partition, offset) and why. */
export interface DeadLetterRow {
  topic: string
  partition: number
  offset: string
  key: string | null
  reason: DeadLetterReason
  detail: string
  eventId: string | null
  eventType: string | null
  raw: string
}

/** Inserts dead letters into `events_dlq` (ReplacingMergeTree on source: a rewrite folds). */
export async function insertDeadLetters(ch: Ch, rows: DeadLetterRow[]): Promise<void> {
  if (rows.length === 0) return
  await ch.insert({
    table: 'events_dlq',
    format: 'JSONEachRow',
    values: rows.map((r) => ({
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      message_key: r.key,
      reason: r.reason,
      detail: r.detail,
      event_id: r.eventId,
      event_type: r.eventType,
      raw: r.raw,
    })),
  })
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
      await insertDeadLetters(
        ch,
        letters.map((l) => ({
          topic: l.message.topic,
          partition: l.message.partition,
          offset: l.message.offset,
          key: l.message.key,
          reason: l.reason,
          detail: l.detail,
          eventId: l.eventId,
          eventType: l.eventType,
          raw: l.message.value?.toString('utf8') ?? '',
        })),
      )
    },
  }
}
