import type { KafkaHandle } from '../kafka/kafka.js'
import { eventsTopic } from '../relay/kafka-publisher.js'
import type { ClickHouseEventWriter } from './clickhouse-sink.js'
import type { DeadLetterWriter } from './dead-letters.js'
import { KafkaSink, type SinkMetrics } from './kafka-sink.js'

export interface ReplayOptions {
  from: Date
  topic?: string
  maxBytesPerPartition?: number
  onError?: (err: unknown) => void
}

export interface ReplayResult {
  groupId: string
  /** Messages between the start offsets and the end offsets taken when the replay began. */
  messages: number
  metrics: SinkMetrics
}

/**
 * Re-reads the topic from the first offset at or after `from` up to its end as of now, into
 * ClickHouse, through the same validation and id-dedup as the live sink: rebuilding a table or
 * back-filling after an outage never double-counts. Uses a throwaway consumer group, so the live
 * sink's offsets are untouched.
 */
export async function replayEvents(
  kafka: KafkaHandle,
  writer: ClickHouseEventWriter,
  dlq: DeadLetterWriter,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const topic = options.topic ?? eventsTopic
  const groupId = `luneo-replay-${options.from.getTime()}-${Date.now()}`
  const [from, until] = await Promise.all([
    kafka.admin.offsetsForTime(topic, options.from),
    kafka.admin.endOffsets(topic),
  ])
  await kafka.admin.setGroupOffsets(groupId, topic, from)
  const sink = new KafkaSink(kafka, writer, dlq, {
    topic,
    groupId,
    from,
    until,
    maxBytesPerPartition: options.maxBytesPerPartition,
    // Partitions that are already done sit idle: short fetch waits let stop() return quickly.
    maxWaitTimeMs: 200,
    sessionTimeoutMs: 6_000,
    onError: options.onError,
  })
  await sink.start()
  try {
    // A crash-class error (schema missing) stops the sink before `done`: fail, do not wait forever.
    await Promise.race([
      sink.done,
      sink.crashed.then((err) => {
        throw err
      }),
    ])
  } finally {
    await sink.stop()
  }
  await kafka.admin.deleteGroup(groupId)
  const start = new Map(from.map((p) => [p.partition, BigInt(p.offset)]))
  const messages = until.reduce((n, u) => n + Number(BigInt(u.offset) - (start.get(u.partition) ?? 0n)), 0)
  return { groupId, messages, metrics: sink.metrics() }
}
