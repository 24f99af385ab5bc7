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
 * An event ready to send: its envelope already JSON (the outbox keeps it so: the relay sends that
 * text as it is, without a parse and a stringify per event), its key and catalogue type beside it.
 */
export interface EncodedEvent {
  id: string
  /** `partitionKey` of the envelope. */
  key: string
  type: string
  version: number
  /** The envelope's JSON. */
  json: string
}

/** What the relay publishes through: envelopes, or events already encoded (outbox rows). */
export interface RelayPublisher extends EventPublisher {
  publishEncoded(events: EncodedEvent[]): Promise<void>
}

export function encodeEvent(e: EventEnvelope): EncodedEvent {
  return { id: e.id, key: partitionKey(e), type: e.type, version: e.version, json: JSON.stringify(e) }
}

/**
 * Publishes envelopes to a topic keyed `organizationId:conversationId`, so one conversation's
 * events share a partition and keep their order. Resolves once all in-sync replicas have them.
 */
export function createKafkaPublisher(producer: KafkaProducer, topic = eventsTopic): RelayPublisher {
  const publishEncoded = async (events: EncodedEvent[]) => {
    await producer.send(
      topic,
      events.map((e) => ({
        key: e.key,
        value: e.json,
        headers: {
          'luneo-type': e.type,
          'luneo-version': String(e.version),
          [payloadValidatedHeader]: '1',
        },
      })),
    )
  }
  return { publishEncoded, publish: (events) => publishEncoded(events.map(encodeEvent)) }
}
