// The distributed path wired in-process for tests: outbox → relay → Kafka → sink → ClickHouse.
import type { Ch, Db } from '@luneo/warehouse'
import type { KafkaHandle, KafkaProducer } from '../kafka/kafka.js'
import { createKafkaPublisher } from '../relay/kafka-publisher.js'
import { OutboxRelay, type RelayOptions } from '../relay/outbox-relay.js'
import { createClickHouseSink, type ClickHouseEventWriter } from '../sink/clickhouse-sink.js'
import { createDeadLetterWriter } from '../sink/dead-letters.js'
import { KafkaSink, type KafkaSinkOptions } from '../sink/kafka-sink.js'

export interface Pipeline {
  relay: OutboxRelay
  sink: KafkaSink
  errors: unknown[]
  stop(): Promise<void>
}

export async function startPipeline(p: {
  db: Db
  ch: Ch
  kafka: KafkaHandle
  producer: KafkaProducer
  topic: string
  relay?: RelayOptions
  sink?: KafkaSinkOptions
  writer?: ClickHouseEventWriter
  startRelay?: boolean
}): Promise<Pipeline> {
  const errors: unknown[] = []
  const relay = new OutboxRelay(p.db, createKafkaPublisher(p.producer, p.topic), {
    batchSize: 200,
    idleMs: 20,
    backoffMs: 50,
    onError: (e) => errors.push(e),
    ...p.relay,
  })
  const sink = new KafkaSink(
    p.kafka,
    p.writer ?? createClickHouseSink(p.ch),
    createDeadLetterWriter(p.ch, p.producer, `${p.topic}.dlq`),
    {
      topic: p.topic,
      groupId: `sink-${p.topic}`,
      sessionTimeoutMs: 6_000,
      maxBytesPerPartition: 64 * 1024,
      backoffMs: 50,
      maxBackoffMs: 500,
      onError: (e) => errors.push(e),
      ...p.sink,
    },
  )
  await sink.start()
  if (p.startRelay !== false) relay.start()
  return {
    relay,
    sink,
    errors,
    async stop() {
      await relay.stop()
      await sink.stop()
    },
  }
}
