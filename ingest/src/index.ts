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
