import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openClickHouse, type ClickHouseHandle } from './client.js'
import { tempDir } from '../testing.js'

const dir = tempDir('luneo-chclient-')
let h: ClickHouseHandle
beforeAll(async () => {
  h = await openClickHouse({ url: process.env.LUNEO_TEST_CLICKHOUSE_URL, dataDir: dir.path })
  await h.ch.command({
    query:
      'CREATE TABLE t (n UInt32) ENGINE = MergeTree ORDER BY n SETTINGS non_replicated_deduplication_window = 100',
  })
})
afterAll(async () => {
  await h?.close()
  dir.remove()
})

describe('the ClickHouse client factory', () => {
  it('a dedup token given to one insert does not leak into the next (chDB keeps SETs per session)', async () => {
    await h.ch.insert({
      table: 't',
      values: [{ n: 1 }],
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: 'tok' },
    })
    await h.ch.insert({ table: 't', values: [{ n: 2 }], format: 'JSONEachRow' })
    await h.ch.insert({
      table: 't',
      values: [{ n: 1 }],
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: 'tok' },
    })
    const rs = await h.ch.query({
      query: 'SELECT groupArray(n) AS ns FROM (SELECT n FROM t ORDER BY n)',
      format: 'JSONEachRow',
    })
    // the retried 'tok' insert is dropped (that is the point of the token); the untokened one is kept
    expect(await rs.json()).toEqual([{ ns: [1, 2] }])
  })
})
