// @luneo/ingest — the event stream: envelope, catalogue, outbox, relay, sink, publishers.
export { EventEnvelope, partitionKey } from './events/envelope.js'
export {
  eventCatalogue,
  validatePayload,
  UnknownEventError,
  type EventType,
  type EventPayload,
} from './events/catalogue.js'
export {
  eventRegistry,
  createEventRegistry,
  upcasters,
  type EventRegistry,
  type Catalogue,
  type CatalogueEntry,
  type Upcaster,
  type Decoded,
  type RejectReason,
} from './events/registry.js'
export { eventJsonSchemas, jsonSchemaDir } from './events/json-schema.js'
export { buildEvent, appendToOutbox, outboxRow, type EventContext } from './outbox/writer.js'
export { PollLoop, type OutboxMover, type PollLoopOptions } from './outbox/poll-loop.js'
export {
  outboxMark,
  waitForCoverage,
  kafkaStreamProgress,
  type Coverage,
  type CoverageMark,
  type StreamProgress,
  type WaitOptions,
} from './outbox/coverage.js'
export {
  createClickHouseSink,
  eventRow,
  type EventPublisher,
  type ClickHouseEventWriter,
  type StreamEvent,
} from './sink/clickhouse-sink.js'
export { OutboxDrainer, outboxBacklog, type DrainerOptions } from './drain/outbox-drainer.js'
export {
  createOutboxDeadLetterWriter,
  outboxDlqTopic,
  type OutboxDeadLetterWriter,
} from './drain/outbox-dead-letters.js'
export { classifyError, describeError, StreamFatalError, type ErrorClass } from './errors/classify.js'
export { OutboxRelay, type RelayOptions, type RelayMetrics } from './relay/outbox-relay.js'
export { createKafkaPublisher, eventsTopic } from './relay/kafka-publisher.js'
export { KafkaSink, type KafkaSinkOptions, type SinkMetrics, type BatchInfo } from './sink/kafka-sink.js'
export {
  createDeadLetterWriter,
  insertDeadLetters,
  type DeadLetter,
  type DeadLetterReason,
  type DeadLetterRow,
  type DeadLetterWriter,
} from './sink/dead-letters.js'
export { replayEvents, type ReplayOptions, type ReplayResult } from './sink/replay.js'
export { LatencyWindow, renderPrometheus, type Sample } from './metrics.js'
export { ensureEventTopics, EVENTS_RETENTION_MS, DLQ_RETENTION_MS } from './kafka/topics.js'
export {
  createOutboxPruner,
  pruneOutbox,
  type OutboxPruneOptions,
  type OutboxPruner,
} from './outbox/prune.js'
export {
  openKafka,
  parseBrokers,
  kafkaClients,
  kafkaClientFromEnv,
  defaultKafkaClient,
  type KafkaClientName,
  type KafkaHandle,
  type KafkaOptions,
  type KafkaProducer,
  type KafkaConsumer,
  type KafkaAdmin,
  type ConsumerOptions,
  type OutgoingMessage,
  type ReceivedMessage,
  type ReceivedBatch,
  type BatchContext,
  type BatchHandler,
  type PartitionOffset,
} from './kafka/kafka.js'
export { runIngestCli, parseIngestConfig, type IngestConfig } from './cli/main.js'
