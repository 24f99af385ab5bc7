export interface ChMigration {
  version: number
  name: string
  statements: string[]
}

// Events are immutable facts. The table is ordered by tenant, then hour, then event id (UUIDv7),
// so a tenant's time-range scan reads one contiguous range. ReplacingMergeTree on that key folds
// redelivered copies of an event at merge time; readers that must not double-count use
// `LIMIT 1 BY id` until then (DESIGN §4: a plain count() is not trusted). The insert-dedup window
// drops a retried identical batch before it is written at all.
const events_v1 = `
CREATE TABLE IF NOT EXISTS events (
  id UUID,
  type LowCardinality(String),
  version UInt16,
  organization_id UUID,
  occurred_at DateTime64(3, 'UTC'),
  conversation_id Nullable(UUID),
  contact_id Nullable(UUID),
  agent_id Nullable(UUID),
  vertical LowCardinality(String),
  correlation_id String,
  payload String,
  ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (organization_id, toStartOfHour(occurred_at), id)
SETTINGS non_replicated_deduplication_window = 1000`

/** Every ClickHouse migration, in order. Applied at start; each statement is idempotent. */
export const chMigrations: ChMigration[] = [{ version: 1, name: 'events', statements: [events_v1] }]
