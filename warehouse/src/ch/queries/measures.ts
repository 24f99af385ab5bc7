import { z } from 'zod'
import type { Ch } from '../client.js'
import { QUERY_LIMITS, queryRows } from './rows.js'

// The semantic layer (api/src/analytics/semantic.ts) compiles measures × dimensions to SQL with
// bound parameters; its columns vary with the request (d_<dimension>, m_<measure>), so the rows
// are checked generically: every value a number, a string or null — never an array or an object.
export const MeasureRow = z.record(
  z.string(),
  z.union([z.number(), z.string(), z.null()], { error: 'expected a number, a string or null' }),
)
export type MeasureRow = z.output<typeof MeasureRow>

/** Runs a compiled semantic-layer query: measures (m_…) by dimensions (d_…) for one organization. */
export async function queryMeasures(
  ch: Ch,
  compiled: { sql: string; params: Record<string, unknown> },
): Promise<MeasureRow[]> {
  // A person waits on this one (the semantic layer behind every analytics screen): limited.
  return queryRows(ch, 'queryMeasures', MeasureRow, {
    query: compiled.sql,
    params: compiled.params,
    settings: QUERY_LIMITS,
  })
}
