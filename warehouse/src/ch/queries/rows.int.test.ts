import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { VariantOutcomeRow } from './conversation-outcomes.js'
import { ClickHouseRowError, chInstant, chNumber, queryRows, streamRows } from './rows.js'

let h: ClickHouseHandle
beforeAll(async () => {
  h = await openTestClickHouse()
})
afterAll(async () => h?.close())

describe('named queries with zod rows', () => {
  it('takes a 64-bit count quoted as text (a server on its defaults) as a number', async () => {
    const rows = await queryRows(h.ch, 'quoted', z.object({ n: chNumber }), {
      query: 'SELECT toString(toUInt64(18014398509481984)) AS n',
    })
    expect(rows).toEqual([{ n: 18014398509481984 }])
  })

  it('reads a DateTime64(3) as the ISO instant the API answers', async () => {
    const rows = await queryRows(h.ch, 'instant', z.object({ at: chInstant }), {
      query: "SELECT toDateTime64('2025-01-31 09:15:00.120', 3, 'UTC') AS at",
    })
    expect(rows).toEqual([{ at: '2025-01-31T09:15:00.120Z' }])
    expect(chInstant.parse('2025-01-31 09:15:00')).toBe('2025-01-31T09:15:00.000Z')
  })

  it('refuses a malformed row with the query, the row and the column in the message', async () => {
    // what variantOutcomes would see if conversation_outcomes_v1 drifted from its row schema
    const drifted = queryRows(h.ch, 'variantOutcomes', VariantOutcomeRow, {
      query: `SELECT toString(generateUUIDv4()) AS variant_id, 'many' AS n, 1 AS resolved,
                     0 AS handed_off, NULL AS mean_csat, 0 AS csat_count`,
    })
    await expect(drifted).rejects.toBeInstanceOf(ClickHouseRowError)
    await expect(drifted).rejects.toThrow(
      /ClickHouse query variantOutcomes returned a malformed row 0:\n {2}n: expected a number \(or numeric text\), got "many"/,
    )
    await expect(
      queryRows(h.ch, 'empty text', z.object({ n: chNumber }), { query: "SELECT '' AS n" }),
    ).rejects.toThrow(ClickHouseRowError)
  })

  it('refuses a malformed row in a stream when it arrives, after the good rows before it', async () => {
    const seen: number[] = []
    const stream = await streamRows(h.ch, 'numbers', z.object({ n: z.literal([0, 1, 2]) }), {
      query: 'SELECT number AS n FROM numbers(5)',
    })
    const drain = async () => {
      for await (const r of stream) seen.push(r.n)
    }
    await expect(drain()).rejects.toThrow(/numbers returned a malformed row 3/)
    expect(seen).toEqual([0, 1, 2])
  })
})
