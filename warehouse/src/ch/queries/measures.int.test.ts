import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../ids.js'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { chDateTime } from '../time.js'
import { FIXTURE_TIME, outcomeRow } from './fixture-rows.js'
import { queryMeasures } from './measures.js'
import { ClickHouseRowError } from './rows.js'

const T = FIXTURE_TIME
const org = newId()
let h: ClickHouseHandle

beforeAll(async () => {
  h = await openTestClickHouse()
  await h.ch.insert({
    table: 'conversation_outcomes_v1',
    values: ['api', 'api', 'widget'].map((channel, i) =>
      outcomeRow(T - i * 60_000, { organization_id: org, channel, resolved: Number(i !== 1) }),
    ),
    format: 'JSONEachRow',
  })
})
afterAll(async () => h?.close())

describe('queryMeasures', () => {
  it('runs compiled SQL with bound parameters and returns its rows', async () => {
    const rows = await queryMeasures(h.ch, {
      // the shape the semantic layer compiles to: d_<dimension>, m_<measure>
      sql: `SELECT channel AS d_channel, count() AS m_conversations, sum(resolved) / count() AS m_rate,
              avgOrNull(csat) AS m_csat
            FROM conversation_outcomes_v1 FINAL
            WHERE organization_id = {org:UUID} AND started_at < {to:DateTime64(3)}
            GROUP BY d_channel ORDER BY d_channel`,
      params: { org, to: chDateTime(T + 1) },
    })
    expect(rows).toEqual([
      { d_channel: 'api', m_conversations: 2, m_rate: 0.5, m_csat: null },
      { d_channel: 'widget', m_conversations: 1, m_rate: 1, m_csat: null },
    ])
  })

  it('refuses a row whose value is neither a number, a string nor null, naming the query and column', async () => {
    const run = queryMeasures(h.ch, { sql: 'SELECT 1 AS m_ok, [1, 2] AS m_list', params: {} })
    await expect(run).rejects.toBeInstanceOf(ClickHouseRowError)
    await expect(run).rejects.toThrow(
      /ClickHouse query queryMeasures returned a malformed row 0:[\s\S]*m_list/,
    )
  })
})
