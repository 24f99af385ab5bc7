import { partitionKey, type EventEnvelope } from '../events/envelope.js'
import type { KafkaProducer } from '../kafka/kafka.js'
import type { EventPublisher } from '../sink/clickhouse-sink.js'

/** The topic every event goes to; the sink's dead letters go to `${eventsTopic}.dlq`. */
export const eventsTopic = 'luneo.events'

/**
 * Header saying the producer validated the payload against the catalogue (`buildEvent`, the only
 * way events reach the outbox): the sink then checks only the envelope (registry `decode`).
 */
export const payloadValidatedHeader = 'luneo-payload-validated'

/**
 * Publishes envelopes to a topic keyed `organizationId:conversationId`, so one conversation's
 * events share a partition and keep their order. Resolves once all in-sync replicas have them.
 */
export function createKafkaPublisher(producer: KafkaProducer, topic = eventsTopic): EventPublisher {
  return {
    async publish(events: EventEnvelope[]) {
      await producer.send(
        topic,
        events.map((e) => ({
          key: partitionKey(e),
          value: JSON.stringify(e),
          headers: {
            'luneo-type': e.type,
            'luneo-version': String(e.version),
            [payloadValidatedHeader]: '1',
          },
        })),
      )
    },
  }
}
