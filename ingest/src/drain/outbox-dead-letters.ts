import type { Ch } from '@luneo/warehouse'
import { insertDeadLetters, type DeadLetterReason, type DeadLetterRow } from '../sink/dead-letters.js'

/**
 * Dead letters of the embedded drainer share `events_dlq` with the Kafka sink's, under this
 * "topic", partition 0 and the outbox `seq` as offset: one row per outbox row, however often a
 * crash makes the drainer write it again (ReplacingMergeTree on topic, partition, offset).
 */
export const outboxDlqTopic = 'outbox'

/** The outbox columns the drainer reads. */
export interface OutboxRow {
  seq: number | string
  partition_key: string
  envelope: unknown
}

export interface OutboxDeadLetterWriter {
  write(letters: DeadLetterRow[]): Promise<void>
}

/** Writes the drainer's dead letters to ClickHouse `events_dlq` (there is no DLQ topic without Kafka). */
export function createOutboxDeadLetterWriter(ch: Ch): OutboxDeadLetterWriter {
  return { write: (letters) => insertDeadLetters(ch, letters) }
}

/** The `events_dlq` row of a refused outbox row. */
export function outboxDeadLetter(
  row: OutboxRow,
  reason: DeadLetterReason,
  detail: string,
  event: { id: string | null; type: string | null },
): DeadLetterRow {
  return {
    topic: outboxDlqTopic,
    partition: 0,
    offset: String(row.seq),
    key: row.partition_key,
    reason,
    detail,
    eventId: event.id,
    eventType: event.type,
    raw: JSON.stringify(row.envelope),
  }
}
