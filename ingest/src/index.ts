// @luneo/ingest — the event stream: envelope, catalogue, outbox, publishers.
export { EventEnvelope, partitionKey } from './events/envelope.js'
export {
  eventCatalogue,
  validatePayload,
  UnknownEventError,
  type EventType,
  type EventPayload,
} from './events/catalogue.js'
export { buildEvent, appendToOutbox, type EventContext } from './outbox/writer.js'
export { createClickHouseSink, type EventPublisher } from './sink/clickhouse-sink.js'
export { OutboxDrainer, outboxBacklog, type DrainerOptions } from './drain/outbox-drainer.js'
export {
  openKafka,
  parseBrokers,
  type KafkaHandle,
  type KafkaOptions,
  type KafkaProducer,
  type KafkaConsumer,
  type ConsumerOptions,
  type OutgoingMessage,
  type ReceivedMessage,
  type ReceivedBatch,
  type BatchContext,
  type BatchHandler,
} from './kafka/kafka.js'
