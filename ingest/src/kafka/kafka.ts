// Our seam over the Kafka client. Nothing outside this folder imports a Kafka library: the rest of
// the code sees only the interfaces of types.ts. Two clients implement them, chosen per process by
// LUNEO_KAFKA_CLIENT (docs/adr/0025): `platformatic` (@platformatic/kafka, the default) and
// `kafkajs` (kafkajs 2.2.4, unmaintained since 2023). Both keep Java's murmur2 partitioner, so a
// key lands on the same partition whichever client wrote it; the admin half is kafkajs' for both.
import { openKafkajs } from './kafkajs-client.js'
import { openPlatformatic } from './platformatic-client.js'
import type { KafkaHandle, KafkaOptions } from './types.js'

export type * from './types.js'

export const kafkaClients = ['platformatic', 'kafkajs'] as const
export type KafkaClientName = NonNullable<KafkaOptions['client']>
/** The client a process uses when neither the options nor LUNEO_KAFKA_CLIENT name one (ADR 0025). */
export const defaultKafkaClient: KafkaClientName = 'platformatic'

/** Splits `KAFKA_BROKERS` ("h1:9092,h2:9092") into a broker list. */
export function parseBrokers(value: string): string[] {
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0)
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is empty')
  return brokers
}

/** LUNEO_KAFKA_CLIENT, checked: a typo must not silently pick the other client. */
export function kafkaClientFromEnv(value = process.env.LUNEO_KAFKA_CLIENT): KafkaClientName {
  if (value === undefined || value === '') return defaultKafkaClient
  const name = kafkaClients.find((c) => c === value)
  if (!name) throw new Error(`LUNEO_KAFKA_CLIENT must be one of ${kafkaClients.join(', ')} (got '${value}')`)
  return name
}

/** Connects lazily: nothing talks to a broker until the first admin call, producer or consumer. */
export function openKafka(options: KafkaOptions): KafkaHandle {
  const client = options.client ?? kafkaClientFromEnv()
  return client === 'kafkajs' ? openKafkajs(options) : openPlatformatic(options)
}
