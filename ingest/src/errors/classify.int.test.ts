// The classifier against the real engine: its code table matches ClickHouse's own names, and
// errors chDB really raises land in the intended class.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateClickHouse, openClickHouse, type ClickHouseHandle } from '@luneo/warehouse'
import { tempDir } from '@luneo/warehouse/testing'
import { eventRow } from '../sink/clickhouse-sink.js'
import { generateEvents } from '../testing.js'
import { classifyError, clickHouseCodes, describeError } from './classify.js'

const dir = tempDir('luneo-classify-')
let ch: ClickHouseHandle

beforeAll(async () => {
  ch = await openClickHouse({ url: process.env.LUNEO_TEST_CLICKHOUSE_URL, dataDir: dir.path })
  await migrateClickHouse(ch.ch)
})
afterAll(async () => {
  await ch?.close()
  dir.remove()
})

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run()
  } catch (err) {
    return err
  }
  throw new Error('expected the statement to fail')
}

describe('classifyError on ClickHouse', () => {
  it('lists every code under the name ClickHouse gives it', async () => {
    const listed = Object.values(clickHouseCodes).flatMap((t) => Object.entries(t))
    const rs = await ch.ch.query({
      query:
        'SELECT toString(c) AS code, errorCodeToName(c) AS name FROM (SELECT arrayJoin({codes:Array(Int32)}) AS c)',
      query_params: { codes: listed.map(([code]) => Number(code)) },
      format: 'JSONEachRow',
    })
    const names = Object.fromEntries(
      (await rs.json<{ code: string; name: string }>()).map((r) => [r.code, r.name]),
    )
    expect(names).toEqual(Object.fromEntries(listed))
  })

  it('real refusals: a bad row is dead_letter, too many parts is retry, a missing table is crash', async () => {
    const [event] = generateEvents({ total: 1, organizations: 1 }).events
    const row = eventRow(event!)
    const insert = (values: object[]) => ch.ch.insert({ table: 'events', values, format: 'JSONEachRow' })
    const badUuid = await errorOf(() => insert([{ ...row, id: 'not-a-uuid' }]))
    expect([describeError(badUuid).split(':')[0], classifyError(badUuid)]).toEqual([
      'CANNOT_PARSE_UUID (376)',
      'dead_letter',
    ])
    await ch.ch.command({
      query: "ALTER TABLE events ADD CONSTRAINT no_poison CHECK correlation_id != 'poison'",
    })
    const violated = await errorOf(() => insert([{ ...row, correlation_id: 'poison' }]))
    await ch.ch.command({ query: 'ALTER TABLE events DROP CONSTRAINT no_poison' })
    expect(classifyError(violated)).toBe('dead_letter')

    await insert([row])
    await ch.ch.command({ query: 'ALTER TABLE events MODIFY SETTING parts_to_throw_insert = 1' })
    const tooMany = await errorOf(() => insert([row]))
    await ch.ch.command({ query: 'ALTER TABLE events RESET SETTING parts_to_throw_insert' })
    expect(classifyError(tooMany)).toBe('retry')

    // The sink's own presence query against a missing table: the message quotes Array(UUID).
    const missing = await errorOf(() =>
      ch.ch.query({
        query: 'SELECT 1 FROM no_such_table WHERE id IN {ids:Array(UUID)}',
        query_params: { ids: [] },
      }),
    )
    expect([classifyError(missing), describeError(missing).split(':')[0]]).toEqual([
      'crash',
      'UNKNOWN_TABLE (60)',
    ])
  })
})
