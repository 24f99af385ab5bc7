import { z } from 'zod'

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback)

/** Environment of `luneo ingest …`, parsed once at start (zod) and passed down. */
export const IngestConfig = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  CLICKHOUSE_URL: z.string().min(1).optional(),
  KAFKA_BROKERS: z.string().min(1, 'KAFKA_BROKERS is required (host:port,…)'),
  LUNEO_DATA_DIR: z.string().min(1).default('.luneo'),
  LUNEO_EVENTS_TOPIC: z.string().min(1).default('luneo.events'),
  /** Only used when the topic is created; never changed afterwards. */
  LUNEO_EVENTS_PARTITIONS: int(6),
  LUNEO_SINK_GROUP: z.string().min(1).default('luneo-sink'),
  LUNEO_SINK_MAX_BYTES: int(4 * 1024 * 1024),
  /** Kafka's group.min.session.timeout.ms is 6 s: lower values are refused by the broker. */
  LUNEO_KAFKA_SESSION_TIMEOUT_MS: int(30_000),
  LUNEO_RELAY_BATCH: int(2000),
  /** Claims in flight at once (OutboxRelay `claims`): a publish's wait overlaps the next claim. */
  LUNEO_RELAY_CLAIMS: int(1),
  /** Published outbox rows are deleted past this age (hours; docs/adr/0022). */
  LUNEO_OUTBOX_KEEP_HOURS: int(168),
  LUNEO_METRICS_PORT: z.coerce.number().int().positive().optional(),
  /** `1`: print one line per sink batch on stdout (`sink-batch partition=… last=…`). */
  LUNEO_SINK_TRACE: z.enum(['0', '1']).default('0'),
  /** Fault tests only: pause after a batch is in ClickHouse, before its offsets are committed. */
  LUNEO_FAULT_PAUSE_AFTER_WRITE_MS: z.coerce.number().int().nonnegative().default(0),
  /** `1`: print one line per relay batch on stdout once Kafka has it, before it is marked. */
  LUNEO_RELAY_TRACE: z.enum(['0', '1']).default('0'),
  /**
   * Fault tests only: after its Nth batch is on Kafka, and before marking it, the relay stops
   * there (for good: a kill is expected). 0: never.
   */
  LUNEO_FAULT_HOLD_AFTER_PUBLISH: z.coerce.number().int().nonnegative().default(0),
})
export type IngestConfig = z.infer<typeof IngestConfig>

/** Parses the environment; throws one readable error listing every bad variable. */
export function parseIngestConfig(env: NodeJS.ProcessEnv): IngestConfig {
  const r = IngestConfig.safeParse(env)
  if (r.success) return r.data
  throw new Error(
    `bad environment: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  )
}
