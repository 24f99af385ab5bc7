import type { Sample } from '../metrics.js'
import type { OutboxRelay } from '../relay/outbox-relay.js'
import type { KafkaSink } from '../sink/kafka-sink.js'

/** The relay's metrics in Prometheus shape. */
export async function relaySamples(relay: OutboxRelay): Promise<Sample[]> {
  const m = relay.metrics()
  const backlog = await relay.backlog()
  return [
    {
      name: 'luneo_outbox_backlog',
      help: 'Outbox rows not yet published',
      type: 'gauge',
      values: [{ value: backlog }],
    },
    {
      name: 'luneo_relay_published_total',
      help: 'Events published to Kafka',
      type: 'counter',
      values: [{ value: m.published }],
    },
    {
      name: 'luneo_relay_publish_ms',
      help: 'Publish latency per batch (acks=all), last 1024 batches',
      type: 'gauge',
      values: [
        { labels: { quantile: '0.5' }, value: m.publishMs.p50 },
        { labels: { quantile: '0.99' }, value: m.publishMs.p99 },
      ],
    },
    {
      name: 'luneo_relay_outbox_age_ms',
      help: 'Age of the oldest row of a batch when it was published',
      type: 'gauge',
      values: [
        { labels: { quantile: '0.5' }, value: m.outboxAgeMs.p50 },
        { labels: { quantile: '0.99' }, value: m.outboxAgeMs.p99 },
      ],
    },
  ]
}

/** The sink's metrics, lag per partition included. */
export function sinkSamples(sink: KafkaSink): Sample[] {
  const m = sink.metrics()
  const counter = (name: string, help: string, value: number): Sample => ({
    name,
    help,
    type: 'counter',
    values: [{ value }],
  })
  return [
    counter('luneo_sink_events_total', 'Valid events written (before dedup by id)', m.events),
    counter('luneo_sink_dead_lettered_total', 'Messages sent to the DLQ', m.deadLettered),
    counter('luneo_sink_write_retries_total', 'ClickHouse writes retried', m.writeRetries),
    {
      name: 'luneo_sink_lag',
      help: 'Messages behind the partition end, as of the last batch',
      type: 'gauge',
      values: Object.entries(m.lagByPartition).map(([partition, value]) => ({
        labels: { partition },
        value,
      })),
    },
  ]
}
