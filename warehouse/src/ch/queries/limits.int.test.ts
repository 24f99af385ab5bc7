import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { chNumber, queryRows } from './rows.js'

// A query a person waits on carries limits; the store enforces them, and on chDB (where a query's
// settings are applied with SET and outlive it) the next query does not inherit them.

let h: ClickHouseHandle
beforeAll(async () => {
  h = await openTestClickHouse()
})
afterAll(async () => h?.close())

const heavy =
  'SELECT number % 2000000 AS k, count() AS n FROM numbers(4000000) GROUP BY k ORDER BY n DESC LIMIT 1'
const Row = z.object({ k: chNumber, n: chNumber })

describe('query limits', () => {
  it('a query over its memory limit fails; the next one without limits runs', async () => {
    await expect(
      queryRows(h.ch, 'heavy', Row, {
        query: heavy,
        settings: { max_execution_time: 10, max_memory_usage: '4000000' },
      }),
    ).rejects.toThrow(/memory limit/i)
    expect(await queryRows(h.ch, 'heavy', Row, { query: heavy })).toEqual([{ k: expect.any(Number), n: 2 }])
  })
})
