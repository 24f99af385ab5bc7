import { z } from 'zod'
import type { Ch } from '../client.js'
import { queryRows } from './rows.js'

const PingRow = z.object({ ok: z.literal(1) })

/** Resolves when ClickHouse answers a query (readiness); throws when it does not. */
export async function pingClickHouse(ch: Ch): Promise<void> {
  await queryRows(ch, 'pingClickHouse', PingRow, { query: 'SELECT 1 AS ok' })
}
