// The writer's dedup read on the batch sizes the sink now makes: the partitions handled together
// are joined into one write, so its id list runs to hundreds of KiB. That list must fit both
// embedded chDB (max_query_size, 256 KiB by default) and a server over HTTP (bound parameters
// travel in the URL; the test server, like many proxies, refuses a long one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateClickHouse, openClickHouse, type ClickHouseHandle } from '@luneo/warehouse'
import {
  openTestClickHouse,
  startClickHouseProcess,
  tempDir,
  type ClickHouseProcess,
} from '@luneo/warehouse/testing'
import { generateEvents } from '../testing.js'
import { createClickHouseSink } from './clickhouse-sink.js'

async function count(ch: ClickHouseHandle): Promise<number> {
  const rs = await ch.ch.query({ query: 'SELECT uniqExact(id) AS n FROM events', format: 'JSONEachRow' })
  return Number((await rs.json<{ n: number | string }>())[0]!.n)
}

const stores: [string, () => Promise<{ ch: ClickHouseHandle; close(): Promise<void> }>][] = [
  [
    'embedded chDB',
    async () => {
      const ch = await openTestClickHouse()
      return { ch, close: () => ch.close() }
    },
  ],
  [
    'ClickHouse over HTTP',
    async () => {
      const dir = tempDir('luneo-sink-http-')
      const server: ClickHouseProcess = await startClickHouseProcess(dir.path)
      const ch = await openClickHouse({ url: server.url })
      await migrateClickHouse(ch.ch)
      return {
        ch,
        async close() {
          await ch.close()
          await server.kill()
          dir.remove()
        },
      }
    },
  ],
]

describe.each(stores)('ClickHouse writer on %s', { timeout: 120_000 }, (_name, open) => {
  let store: { ch: ClickHouseHandle; close(): Promise<void> }
  beforeAll(async () => {
    store = await open()
  })
  afterAll(async () => store?.close())

  it('writes a 12,000-event batch once, and skips it when it comes again with new events', async () => {
    const { events } = generateEvents({ total: 12_010, organizations: 6, conversationsPerOrg: 50 })
    const first = events.slice(0, 12_000)
    const writer = createClickHouseSink(store.ch.ch)
    await writer.publishFromStream(first.map((event, i) => ({ event, partition: i % 6, offset: String(i) })))
    expect(writer.insertedTotal()).toBe(12_000)
    // Redelivered with 10 more (a sink that died before its commit): only the 10 are new.
    await writer.publishFromStream(events.map((event, i) => ({ event, partition: i % 6, offset: String(i) })))
    expect(writer.insertedTotal()).toBe(12_010)
    expect(await count(store.ch)).toBe(12_010)
  })
})
