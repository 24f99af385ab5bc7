import { mkdirSync } from 'node:fs'
import { createClient, type ClickHouseClient } from '@clickhouse/client'

export type Ch = ClickHouseClient

// Same answers from chDB and the server: 64-bit counts as JSON numbers (chDB's default; the
// server quotes them unless told), ISO timestamps accepted on insert.
const SETTINGS = {
  date_time_input_format: 'best_effort',
  output_format_json_quote_64bit_integers: 0,
} as const

export interface OpenClickHouseOptions {
  /** A server URL (CLICKHOUSE_URL), e.g. http://default:@127.0.0.1:8123/luneo. */
  url?: string | undefined
  /** Where embedded chDB keeps its data; one process may own a data directory at a time. */
  dataDir?: string | undefined
}

export interface ClickHouseHandle {
  ch: Ch
  kind: 'chdb' | 'server'
  close(): Promise<void>
}

/**
 * The one ClickHouse client factory. chDB's connection for @clickhouse/client is marked
 * experimental by chdb, so every caller goes through here: a problem is fixed in one place.
 */
export async function openClickHouse(options: OpenClickHouseOptions): Promise<ClickHouseHandle> {
  if (options.url) {
    const ch = createClient({
      url: options.url,
      clickhouse_settings: SETTINGS,
      request_timeout: 60_000,
    })
    return { ch, kind: 'server', close: () => ch.close() }
  }
  const dataDir = options.dataDir ?? '.luneo/clickhouse'
  mkdirSync(dataDir, { recursive: true })
  const { createChdbConnection } = await import('chdb/connection')
  const ch = createClient({
    connection: createChdbConnection({ path: dataDir }),
    clickhouse_settings: SETTINGS,
  } as Parameters<typeof createClient>[0])
  // chDB applies a query's settings with SET, so they outlive the query in its session: an insert
  // that carried insert_deduplication_token would lend it to the next insert, which ClickHouse then
  // drops as a duplicate (ADR 0006). Every insert states its own token; '' means none.
  const insert = ch.insert.bind(ch)
  ch.insert = (params: Parameters<typeof insert>[0]) =>
    insert({
      ...params,
      clickhouse_settings: { insert_deduplication_token: '', ...params.clickhouse_settings },
    })
  // The same for a query's limits: a request's 10 s would otherwise bind the pipelines' next query.
  const query = ch.query.bind(ch) as (p: Record<string, unknown>) => ReturnType<typeof ch.query>
  ch.query = (params: { clickhouse_settings?: Record<string, unknown> }) =>
    query({
      ...params,
      clickhouse_settings: { max_execution_time: 0, max_memory_usage: '0', ...params.clickhouse_settings },
    })
  return { ch, kind: 'chdb', close: () => ch.close() }
}
